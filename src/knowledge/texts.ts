// Everything a knowledge page says around the document, German first, English second.
export const knowledgeTexts = {
  de: {
    site: 'Digital-Mentor – Wissensbasis',
    reviewed: 'Stand',
    reviewBy: 'nächste Prüfung bis',
    sources: 'Quellen dieses Textes',
    source: 'Originalquelle',
    translation: 'English version',
    back: 'Zur Startseite',
    note: 'Dieser Text ist Orientierung, keine Rechtsberatung. Für Ihren Einzelfall fragen Sie im Chat nach einem Mentor.',
  },
  en: {
    site: 'Digital-Mentor – knowledge base',
    reviewed: 'As of',
    reviewBy: 'next review by',
    sources: 'Sources of this text',
    source: 'Original source',
    translation: 'Deutsche Fassung',
    back: 'Home',
    note: 'This text is guidance, not legal advice. For your own case, ask for a mentor in the chat.',
  },
}
export type KnowledgeTexts = (typeof knowledgeTexts)['de']
