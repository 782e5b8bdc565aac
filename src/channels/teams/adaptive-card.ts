// A message carrying one Adaptive Card: how Teams shows cards, in chats and through incoming webhooks.
export function adaptiveCardMessage(body: unknown[], actions: unknown[] = []) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(actions.length ? { actions } : {}),
        },
      },
    ],
  }
}
