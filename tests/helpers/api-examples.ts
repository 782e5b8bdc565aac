// A valid request body for every operation of the API that takes one, keyed by "METHOD /path" as in
// the OpenAPI document: the tests that walk the document start from these (and fail for a new
// operation that has none).
export const EXAMPLE_BODIES: Record<string, Record<string, unknown>> = {
  'POST /v1/conversations': { locale: 'de', tenant: 'default', channel: 'api' },
  'POST /v1/search': { query: 'Wie beteiligen wir die Beschäftigten?', k: 3, lang: 'de' },
  'POST /v1/conversations/{id}/messages': { text: 'Wie finde ich KI-Anwendungsfälle?' },
  'POST /v1/conversations/{id}/handoff': { note: 'Bitte rufen Sie mich zurück.' },
  'POST /v1/messages/{id}/feedback': { rating: 'down', comment: 'zu allgemein' },
  'POST /v1/conversations/{id}/handoffs/{handoffId}/contact': { email: 'kontakt@example.org', consent: true },
  'POST /v1/handoffs/{id}/reply': { text: 'Guten Tag, hier die Antwort.' },
  'POST /v1/drafts': { question: 'Wie beteiligen wir die Beschäftigten?' },
  'POST /v1/admin/mentors': { name: 'Neuer Mentor', admin: false },
  'PUT /v1/admin/tenants/{slug}': {
    name: 'Verband',
    origins: ['https://verband.example.org'],
    privacyUrl: null,
    webhookUrl: null,
    webhookFormat: 'json',
    theme: {},
  },
  'PATCH /v1/admin/tenants/{slug}': { name: 'Verband' },
  // A token no setup link has: the request is refused and creates nobody.
  'POST /v1/setup': { token: 'x'.repeat(43), name: 'Carla Admin', email: 'carla@verband.example' },
}
