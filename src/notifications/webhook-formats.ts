// What a webhook receives about a new handoff: plain JSON, or a Microsoft Teams incoming-webhook card.
// No message text and no personal data: mentors read the transcript in the console, after signing in.

import { adaptiveCardMessage } from '../channels/teams/adaptive-card.ts'

export type HandoffNotice = {
  handoffId: string
  tenant: string
  reason: string
  channel: string
  createdAt: string
  /** A crisis: mentors should look at once (queue order and the announcement say so). */
  urgent?: boolean
}

// Mentor-facing: German first, English second, in one card.
const REASONS: Record<string, [string, string]> = {
  works_council: ['Betriebsrat und Mitbestimmung', 'works council and co-determination'],
  workforce: ['Personalangelegenheit', 'workforce matter'],
  legal_individual: ['Rechtsfrage im Einzelfall', 'individual legal question'],
  crisis: ['Krise – bitte sofort ansehen', 'crisis – please look at once'],
  human: ['Wunsch nach einem Menschen', 'asked for a person'],
}

const consoleLink = (publicUrl: string | undefined, id: string) =>
  publicUrl ? `${publicUrl.replace(/\/$/, '')}/mentor#handoff=${id}` : undefined

export function webhookBody(format: 'json' | 'teams', notice: HandoffNotice, publicUrl?: string): unknown {
  const url = consoleLink(publicUrl, notice.handoffId)
  if (format === 'json') return { type: 'handoff.created', handoff: { ...notice, ...(url ? { url } : {}) } }
  const [de, en] = REASONS[notice.reason] ?? [notice.reason, notice.reason]
  return adaptiveCardMessage(
    [
      {
        type: 'TextBlock',
        text: 'Neue Übergabe an die Mentorinnen und Mentoren',
        weight: 'Bolder',
        size: 'Medium',
        wrap: true,
      },
      { type: 'TextBlock', text: 'New handoff for the mentors', isSubtle: true, wrap: true },
      {
        type: 'FactSet',
        facts: [
          { title: 'Thema / Topic', value: `${de} / ${en}` },
          { title: 'Mandant / Tenant', value: notice.tenant },
          { title: 'Kanal / Channel', value: notice.channel },
          { title: 'Seit / Since', value: notice.createdAt },
        ],
      },
    ],
    url ? [{ type: 'Action.OpenUrl', title: 'Im Mentor-Bereich öffnen / Open', url }] : [],
  )
}
