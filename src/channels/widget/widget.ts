// The chat widget for association websites, embedded with one line:
//   <script src="https://mentor.example.org/widget.js" data-tenant="suedwest" async></script>
// It mounts in a Shadow DOM, talks to the chat API of the origin it was loaded from, streams answers,
// shows sources, feedback, handoffs and mentor replies, and keeps the conversation across page loads
// in sessionStorage. Every string from the server or the user becomes text, never HTML.

import type { Citation } from '../../conversations/repository.ts'
import { anchorOf } from '../../text/slug.ts'
import { renderMarkdown } from './markdown.ts'
import { readSse } from './sse.ts'
import { widgetStyle } from './styles.ts'
import { type WidgetTexts, widgetTexts } from './texts.ts'

type Message = {
  id: string
  author: string
  text: string
  mode?: string | null
  citations: Citation[]
  actions?: string[]
}
type Handoff = { id: string; status: string; reason: string }
type Session = { id: string; token: string }
type Config = {
  name: string
  privacyUrl: string | null
  theme: { color?: string; position?: string; title?: string; logoUrl?: string }
}

// Mentor replies are fetched this often while a handoff is waiting (simple polling: it needs no
// long-lived connection through proxies, and a reply minutes later needs no faster path).
const POLL_MS = 8000
const TIMEOUT_MS = 20000
// The typing indicator appears only when the answer takes longer than this: most offline answers
// start sooner, and an indicator shown for a fraction of a second only flashes.
const TYPING_DELAY_MS = 700

const script = document.currentScript as HTMLScriptElement | null
const data = script?.dataset ?? {}
const base = script ? new URL(script.src).origin : location.origin
const tenant = data.tenant ?? 'default'
const pageLang = (data.lang ?? document.documentElement.lang ?? 'de').slice(0, 2).toLowerCase()
const lang: 'de' | 'en' = pageLang === 'en' ? 'en' : 'de'
const t: WidgetTexts = widgetTexts[lang]
const storageKey = `digital-mentor:${tenant}`

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value)
  node.append(...children)
  return node
}
const safeUrl = (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : undefined)

class ApiError extends Error {}
type ApiErrorBody = { code?: string; message?: string }

/** A speech bubble, drawn with DOM calls (no emoji font needed, no markup parsed). */
function chatIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg'
  const svg = document.createElementNS(ns, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('width', '28')
  svg.setAttribute('height', '28')
  svg.setAttribute('aria-hidden', 'true')
  const path = document.createElementNS(ns, 'path')
  path.setAttribute('d', 'M4 4h16v11H9l-5 4v-4H4z')
  path.setAttribute('fill', 'currentColor')
  svg.append(path)
  return svg
}

function mount() {
  const host = el('div', { id: 'digital-mentor-widget' })
  if (data.position === 'left') host.dataset.position = 'left'
  if (data.color) host.style.setProperty('--dm-color', data.color)
  const root = host.attachShadow({ mode: 'open' })
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(widgetStyle)
  root.adoptedStyleSheets = [sheet]

  const titleId = 'dm-title'
  const launcher = el(
    'button',
    {
      class: 'launcher',
      type: 'button',
      'aria-expanded': 'false',
      'aria-controls': 'dm-panel',
      'aria-label': t.open,
    },
    chatIcon(),
  )
  if (safeUrl(data.logo)) launcher.replaceChildren(el('img', { src: safeUrl(data.logo) as string, alt: '' }))
  const heading = el('h2', { id: titleId }, data.title ?? t.title)
  const eraseButton = el('button', { type: 'button', class: 'erase' }, t.erase)
  const closeButton = el('button', { type: 'button', 'aria-label': t.close }, '✕')
  const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' })
  const input = el('textarea', {
    rows: '2',
    placeholder: t.placeholder,
    'aria-label': t.inputLabel,
    maxlength: '4000',
  })
  const send = el('button', { type: 'submit' }, t.send)
  const form = el('form', { class: 'ask' }, input, send)
  // Always there: who wants a person gets one, whatever the router thinks of the question.
  const humanButton = el('button', { type: 'button', class: 'human' }, t.talkToHuman)
  const panel = el(
    'div',
    { class: 'panel', id: 'dm-panel', role: 'dialog', 'aria-labelledby': titleId, hidden: '' },
    el('header', {}, heading, eraseButton, closeButton),
    log,
    form,
    el('div', { class: 'human-row' }, humanButton),
  )
  root.append(panel, launcher)
  document.body.append(host)

  let session: Session | undefined
  let privacyUrl: string | undefined
  /** The conversation being opened or reopened; a question asked meanwhile waits for it. */
  let starting: Promise<void> | undefined
  let busy = false
  let poller: ReturnType<typeof setInterval> | undefined
  // Messages and handoff forms on screen, by id, so that a refresh adds only what is new.
  const shown = new Set<string>()
  const handoffsShown = new Set<string>()

  function getSession(): Session | undefined {
    try {
      return JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') ?? undefined
    } catch {
      return undefined
    }
  }

  async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
    let res: Response
    try {
      res = await fetch(`${base}${path}`, {
        ...init,
        headers: {
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...(session ? { authorization: `Bearer ${session.token}` } : {}),
          ...(init.headers as Record<string, string> | undefined),
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
    } catch {
      throw new ApiError(t.unreachable)
    }
    if (res.status === 204) return undefined as T
    const body = (await res.json().catch(() => ({}))) as { error?: ApiErrorBody }
    if (!res.ok) throw new ApiError(explain(body.error))
    return body as T
  }

  /** The server's message, or the widget's own words for limits and outages (in the page's language). */
  const explain = (error: ApiErrorBody | undefined) =>
    error?.code === 'rate_limited'
      ? t.tooFast
      : error?.code === 'busy'
        ? t.busy
        : error?.code === 'database_unavailable'
          ? t.unreachable
          : error?.code === 'forbidden'
            ? t.forbidden.replace('{origin}', location.origin)
            : (error?.message ?? t.unreachable)
  const note = (text: string, cls = 'msg system') => log.append(el('div', { class: cls }, text))
  const showError = (error: unknown) =>
    note(error instanceof ApiError ? error.message : `${t.failed} ${String(error)}`, 'error')

  /** Each source links to its readable page at the cited section; the original (a statute) comes second. */
  function sourcesOf(citations: Citation[]) {
    const list = el('ol')
    for (const c of citations) {
      const url = safeUrl(c.url)
      const page = `${base}/wissen/${encodeURIComponent(c.documentId)}#${anchorOf(c.heading)}`
      list.append(
        el(
          'li',
          {},
          el('a', { href: page, target: '_blank', rel: 'noopener' }, c.title),
          ...(c.reviewed ? [el('span', { class: 'stand' }, ` · ${t.reviewed} ${monthOf(c.reviewed)}`)] : []),
          ...(url
            ? [
                ' · ',
                el(
                  'a',
                  { class: 'original', href: url, target: '_blank', rel: 'noopener noreferrer' },
                  t.original,
                ),
              ]
            : []),
        ),
      )
    }
    return el('div', { class: 'sources' }, el('span', {}, t.sources), list)
  }

  /** "November 2026" from "2026-11-24", in the widget's language. */
  function monthOf(date: string) {
    const at = new Date(`${date}T12:00:00Z`)
    if (Number.isNaN(at.getTime())) return date
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
      month: 'long',
      year: 'numeric',
    }).format(at)
  }

  function feedbackFor(messageId: string) {
    const box = el('div', { class: 'feedback' })
    for (const [rating, label] of [
      ['up', t.helpful],
      ['down', t.notHelpful],
    ] as const) {
      const b = el('button', { type: 'button' }, label)
      b.addEventListener('click', async () => {
        try {
          await api(`/v1/messages/${messageId}/feedback`, {
            method: 'POST',
            body: JSON.stringify({ rating }),
          })
          box.replaceChildren(t.thanks)
        } catch (error) {
          showError(error)
        }
      })
      box.append(b)
    }
    return box
  }

  /** Scrolls the log so that a node's start is in view (a new answer is read from its beginning). */
  function reveal(node: HTMLElement) {
    log.scrollTop = Math.max(0, node.offsetTop - log.offsetTop - 8)
  }

  function showMessage(m: Message): HTMLElement | undefined {
    if (shown.has(m.id)) return undefined
    shown.add(m.id)
    if (m.author === 'user') {
      // A question typed here is on screen already, without its id: it is that bubble.
      const typed = [...log.querySelectorAll<HTMLElement>('.msg.user[data-pending]')].find(
        (b) => b.textContent === m.text,
      )
      if (typed) {
        delete typed.dataset.pending
        return undefined
      }
      return log.appendChild(el('div', { class: 'msg user' }, m.text))
    }
    if (m.author === 'system') return showSystem(m.text)
    const who = m.author === 'mentor' ? `${t.mentorReply} ${t.mentor}` : t.assistant
    const bubble = el('div', { class: `msg ${m.author}` }, el('div', { class: 'who' }, who))
    bubble.append(renderMarkdown(m.text))
    if (m.citations.length) bubble.append(sourcesOf(m.citations))
    offerFor(m, bubble)
    // The greeting (no mode) is not an answer to rate.
    if (m.mode) bubble.append(feedbackFor(m.id))
    log.append(bubble)
    return bubble
  }

  /** A message of the service: the first is the AI disclosure, with the privacy notice beside it. */
  function showSystem(text: string) {
    const box = el('div', { class: 'msg system' }, text)
    if (privacyUrl && !log.querySelector('.privacy'))
      box.append(
        ' ',
        el(
          'a',
          { class: 'privacy', href: privacyUrl, target: '_blank', rel: 'noopener noreferrer' },
          t.privacy,
        ),
      )
    log.append(box)
    return box
  }

  /** The quick reply of an answer that offers a mentor (one click instead of a wrong answer). */
  function offerFor(m: Message, bubble: HTMLElement) {
    if (!m.actions?.includes('handoff')) return
    const button = el('button', { type: 'button', class: 'offer' }, t.offerAction)
    button.addEventListener('click', () => {
      button.disabled = true
      void requestHuman().finally(() => button.remove())
    })
    bubble.append(button)
  }

  /** Asks for a person (POST …/handoff); while a ticket is open, says so instead of asking twice. */
  async function requestHuman() {
    if (!session) return
    humanButton.disabled = true
    try {
      const result = await api<{ handoff: Handoff; message?: Message }>(
        `/v1/conversations/${session.id}/handoff`,
        { method: 'POST', body: '{}' },
      )
      if (result.message) {
        const bubble = showMessage(result.message)
        showHandoff(result.handoff.id)
        if (bubble) reveal(bubble)
      } else {
        note(t.alreadyHandedOver)
        log.scrollTop = log.scrollHeight
      }
    } catch (error) {
      showError(error)
    } finally {
      humanButton.disabled = false
    }
  }

  function showHandoff(handoffId: string) {
    if (handoffsShown.has(handoffId)) return
    handoffsShown.add(handoffId)
    const email = el('input', { type: 'email', autocomplete: 'email', id: 'dm-email' })
    const consent = el('input', { type: 'checkbox', id: 'dm-consent' })
    const save = el('button', { type: 'submit' }, t.saveEmail)
    const contact = el(
      'form',
      {},
      el('label', { for: 'dm-email' }, t.emailLabel),
      email,
      el('label', {}, consent, ` ${t.consent}`),
      save,
    )
    contact.addEventListener('submit', async (event) => {
      event.preventDefault()
      if (!session) return
      try {
        await api(`/v1/conversations/${session.id}/handoffs/${handoffId}/contact`, {
          method: 'POST',
          body: JSON.stringify({ email: email.value, consent: consent.checked }),
        })
        contact.replaceWith(el('p', {}, t.emailSaved))
      } catch (error) {
        showError(error)
      }
    })
    log.append(el('div', { class: 'handoff' }, el('p', {}, t.handoff), contact))
    startPolling()
  }

  /** Brings the log up to date with the server: new messages only, and the form of a waiting handoff. */
  async function refresh() {
    if (!session) return
    const transcript = await api<{ messages: Message[]; handoffs: Handoff[] }>(
      `/v1/conversations/${session.id}`,
    )
    // In view afterwards: the latest new question with its answer, else the first new message.
    let first: HTMLElement | undefined
    let question: HTMLElement | undefined
    for (const m of transcript.messages) {
      const bubble = showMessage(m)
      if (m.author === 'user') question = bubble ?? question
      else first ??= bubble
    }
    const waiting = transcript.handoffs.filter((h) => h.status === 'open' || h.status === 'claimed')
    for (const h of waiting) showHandoff(h.id)
    if (waiting.length) startPolling()
    else stopPolling()
    const target = question ?? first
    if (target) reveal(target)
  }
  function startPolling() {
    poller ??= setInterval(() => void refresh().catch(() => undefined), POLL_MS)
  }
  function stopPolling() {
    if (poller) clearInterval(poller)
    poller = undefined
  }

  function start() {
    starting = openConversation()
    return starting
  }
  async function openConversation() {
    try {
      const config = await api<Config>(`/v1/widget/config?tenant=${encodeURIComponent(tenant)}`)
      privacyUrl = safeUrl(config.privacyUrl)
      if (!data.title && config.theme.title) heading.textContent = config.theme.title
      if (!data.color && config.theme.color) host.style.setProperty('--dm-color', config.theme.color)
      session = getSession()
      if (session) {
        try {
          return await refresh()
        } catch {
          session = undefined
          sessionStorage.removeItem(storageKey)
        }
      }
      const created = await api<{ id: string; token: string; disclosure: string; greeting: string }>(
        '/v1/conversations',
        {
          method: 'POST',
          body: JSON.stringify({ locale: lang, tenant, channel: 'widget' }),
        },
      )
      session = { id: created.id, token: created.token }
      sessionStorage.setItem(storageKey, JSON.stringify(session))
      // The disclosure and the greeting come with the transcript, like after a reload: shown once.
      await refresh()
    } catch (error) {
      starting = undefined // tried again when the panel is opened again
      showError(error)
    }
  }

  async function ask(text: string) {
    busy = true
    send.disabled = true
    const question = el('div', { class: 'msg user', 'data-pending': '' }, text)
    log.append(question)
    reveal(question)
    const bubble = el('div', { class: 'msg assistant' }, el('div', { class: 'who' }, t.assistant))
    const body = el('div')
    bubble.append(body)
    const typing = el('div', { class: 'typing', role: 'status' }, t.typing)
    const typingTimer = setTimeout(() => {
      if (!bubble.isConnected) log.append(typing)
    }, TYPING_DELAY_MS)
    // The answer goes right after its question; the view stays at the question while it streams.
    const place = () => {
      if (bubble.isConnected) return
      typing.remove()
      question.after(bubble)
    }
    try {
      // A question asked while the conversation is still being opened waits for it instead of being lost,
      // and then follows the notice and greeting that opening shows.
      if (!session) {
        await (starting ?? start())
        if (!session) {
          // It could not be opened (the error is shown): the question goes back into the box.
          question.remove()
          if (!input.value) input.value = text
          return
        }
        log.append(question)
      }
      const res = await fetch(`${base}/v1/conversations/${session.id}/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${session.token}`,
        },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(60000),
      }).catch(() => {
        throw new ApiError(t.unreachable)
      })
      if (!res.ok || !res.body) {
        const error = (await res.json().catch(() => ({}))) as { error?: ApiErrorBody }
        throw new ApiError(explain(error.error))
      }
      let streamed = ''
      for await (const event of readSse(res.body)) {
        const payload = JSON.parse(event.data)
        if (event.event === 'token') {
          place()
          streamed += payload.text
          body.textContent = streamed
        } else if (event.event === 'handoff') {
          // Shown after the reply that explains it.
          queueMicrotask(() => showHandoff(payload.handoff.id))
        } else if (event.event === 'error') {
          note(explain(payload.error), 'error')
        } else if (event.event === 'done') {
          const message = payload.message as Message
          shown.add(message.id)
          place()
          body.replaceChildren(renderMarkdown(message.text))
          if (message.citations.length) bubble.append(sourcesOf(message.citations))
          offerFor(message, bubble)
          bubble.append(feedbackFor(message.id))
        }
      }
    } catch (error) {
      showError(error)
    } finally {
      clearTimeout(typingTimer)
      typing.remove()
      busy = false
      send.disabled = false
      reveal(question)
    }
  }

  function open() {
    panel.hidden = false
    host.toggleAttribute('data-open', true)
    launcher.setAttribute('aria-expanded', 'true')
    input.focus()
    if (!starting) void start()
  }
  function close() {
    panel.hidden = true
    host.toggleAttribute('data-open', false)
    launcher.setAttribute('aria-expanded', 'false')
    launcher.focus()
  }

  launcher.addEventListener('click', () => (panel.hidden ? open() : close()))
  closeButton.addEventListener('click', close)
  humanButton.addEventListener('click', () => void requestHuman())
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close()
  })
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault()
      form.requestSubmit()
    }
  })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = input.value.trim()
    // While an answer streams, the next question stays in the box until it can be sent.
    if (!text || busy) return
    input.value = ''
    void ask(text)
  })
  // Deleting asks first, inside the panel; afterwards a fresh conversation takes the next question.
  eraseButton.addEventListener('click', () => {
    if (!session || log.querySelector('.confirm')) return
    const yes = el('button', { type: 'button', class: 'danger' }, t.eraseConfirm)
    const no = el('button', { type: 'button' }, t.eraseCancel)
    const confirm = el(
      'div',
      { class: 'confirm', role: 'alertdialog', 'aria-label': t.erase },
      el('p', {}, t.eraseQuestion),
      yes,
      no,
    )
    no.addEventListener('click', () => {
      confirm.remove()
      eraseButton.focus()
    })
    yes.addEventListener('click', () => void erase(confirm))
    log.append(confirm)
    reveal(confirm)
    no.focus()
  })
  async function erase(confirm: HTMLElement) {
    if (!session) return
    try {
      await api(`/v1/conversations/${session.id}`, { method: 'DELETE' })
    } catch (error) {
      confirm.remove()
      return showError(error)
    }
    stopPolling()
    sessionStorage.removeItem(storageKey)
    session = undefined
    shown.clear()
    handoffsShown.clear()
    log.replaceChildren(el('div', { class: 'msg system' }, t.erased))
    input.focus()
    await start()
  }

  // A conversation from an earlier page of this site opens where it was.
  if (getSession()) open()
}

if (document.body) mount()
else document.addEventListener('DOMContentLoaded', mount)
