import { describe, expect, it } from 'vitest'
import { webhookBody } from '../../src/notifications/webhook-formats.ts'

const notice = {
  handoffId: '7d3c…',
  tenant: 'suedwest',
  reason: 'works_council',
  channel: 'widget',
  createdAt: '2026-11-25T03:00:00.000Z',
}

describe('handoff announcements', () => {
  it('as a Teams incoming-webhook card: topic in German and English, a link to the ticket', () => {
    const body = webhookBody('teams', notice, 'https://mentor.example.org/') as {
      attachments: Array<{
        contentType: string
        content: { type: string; body: unknown[]; actions: unknown[] }
      }>
    }
    const card = body.attachments[0]
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive')
    expect(card?.content.type).toBe('AdaptiveCard')
    expect(JSON.stringify(card?.content.body)).toContain(
      'Betriebsrat und Mitbestimmung / works council and co-determination',
    )
    expect(card?.content.actions).toEqual([
      expect.objectContaining({
        type: 'Action.OpenUrl',
        url: 'https://mentor.example.org/mentor#handoff=7d3c…',
      }),
    ])
  })

  it('as plain JSON, without a link when no public address is configured', () => {
    expect(webhookBody('json', notice)).toEqual({ type: 'handoff.created', handoff: notice })
  })
})
