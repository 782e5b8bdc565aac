// Examples for the API reference that a schema cannot make up: a valid request body for every
// operation that takes one, keyed by "METHOD /path" as in the OpenAPI document, and a streamed reply.
// The tests that walk the document send these bodies (and fail for a new operation that has none).
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

/** A short streamed reply (Accept: text/event-stream), event by event as the server writes them. */
export const EXAMPLE_EVENT_STREAM = [
  'event: route',
  'data: {"route":"answer","stage":"rules","reason":"design question","offer":false}',
  '',
  'event: sources',
  'data: {"sources":[{"n":1,"documentId":"anwendungsfaelle-finden","title":"KI-Anwendungsfälle im Betrieb finden","heading":"Mit den Beschäftigten beginnen","url":"/wissen/anwendungsfaelle-finden"}]}',
  '',
  'event: token',
  'data: {"text":"Beginnen Sie mit den Aufgaben, "}',
  '',
  'event: done',
  'data: {"message":{"id":"3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d","author":"assistant","text":"Beginnen Sie mit den Aufgaben, … [1]","route":"answer","mode":"extractive","status":"complete","citations":[],"actions":[],"createdAt":"2026-12-01T09:30:00.000Z"}}',
  '',
].join('\n')
