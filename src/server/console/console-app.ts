// The mentor console's browser code. It is served as the source of this one function (see
// console-page.ts), so it must stay self-contained: no imports at run time, no outside names. All text
// reaches the page through textContent and attributes, never as HTML, so nothing a user wrote can run.
import type { Insights } from '../../mentors/insights.ts'
import type { ConsoleCharts } from './console-charts.ts'
import type { ConsoleTexts } from './console-texts.ts'

export function mentorConsole(charts: ConsoleCharts): void {
  type Texts = ConsoleTexts
  type Handoff = {
    id: string
    status: string
    reason: string
    channel: string
    question: string
    claimedBy: string | null
    createdAt: string
    conversationTickets?: number
    routerReason?: string
    routerReasons?: { de: string; en: string }
    contactEmail?: string | null
    transcript?: Array<{ author: string; text: string; at: string }>
    replies?: Array<{ id: string; text: string; mentor: string | null; at: string }>
  }
  type Citation = { n: number; documentId: string; title: string; heading: string; url?: string }
  type Draft = { text: string; citations: Citation[]; mode: string }
  type Child = Node | string | null | undefined | false

  const all = JSON.parse(document.getElementById('console-texts')?.textContent ?? '{}') as Record<
    string,
    Texts
  >
  let lang: 'de' | 'en' = localStorage.getItem('dm-console-lang') === 'en' ? 'en' : 'de'
  const t = () => all[lang] as Texts
  const root = document.getElementById('app') as HTMLElement
  const live = document.getElementById('live') as HTMLElement
  let token = sessionStorage.getItem('dm-mentor-token') ?? ''
  // The queue opens on what needs a mentor; closed and withdrawn tickets are one choice away.
  let statusFilter = 'open'
  let lastDraft: Draft | undefined
  // The queue reloads itself this often while it is on screen (new tickets without a manual reload).
  const QUEUE_REFRESH_MS = 30_000
  let queueTimer: ReturnType<typeof setInterval> | undefined

  function el(tag: string, attrs: Record<string, string | boolean> = {}, ...children: Child[]): HTMLElement {
    const node = document.createElement(tag)
    for (const [name, value] of Object.entries(attrs)) {
      if (value === false) continue
      node.setAttribute(name, value === true ? '' : value)
    }
    for (const child of children) if (child) node.append(child)
    return node
  }
  const say = (message: string) => {
    live.textContent = message
  }
  // A citation's heading is the section's path, "Title › Section": the title is shown once.
  const sourceLabel = (c: Citation) => {
    const section = c.heading.startsWith(`${c.title} › `) ? c.heading.slice(c.title.length + 3) : c.heading
    return section && section !== c.title ? `${c.title} – ${section}` : c.title
  }
  const when = (iso: string) =>
    new Date(iso).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', {
      dateStyle: 'short',
      timeStyle: 'short',
    })

  class ApiError extends Error {
    status: number
    code: string
    constructor(status: number, code: string, message: string) {
      super(message)
      this.status = status
      this.code = code
    }
  }
  async function api<T>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } }
    if (!res.ok) {
      // The console's own words for the error (the server's message is English); unknown codes keep it.
      const code = data.error?.code ?? ''
      throw new ApiError(res.status, code, t().errors[code] ?? data.error?.message ?? String(res.status))
    }
    return data as T
  }
  async function attempt(action: () => Promise<void>) {
    try {
      await action()
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return signOut(t().badToken)
      say(`${t().failed} ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  function frame(heading: string, ...content: Child[]) {
    // A new view starts with an empty status line: what it said belonged to the view before.
    say('')
    if (queueTimer) clearInterval(queueTimer)
    queueTimer = undefined
    const nav = token
      ? el(
          'nav',
          { 'aria-label': t().title },
          el('a', { href: '#queue' }, t().navQueue),
          el('a', { href: '#insights' }, t().navInsights),
          el('a', { href: '#draft' }, t().navDraft),
        )
      : null
    const language = el('button', { type: 'button', id: 'language' }, t().switchLanguage)
    language.addEventListener('click', () => {
      lang = lang === 'de' ? 'en' : 'de'
      localStorage.setItem('dm-console-lang', lang)
      document.documentElement.lang = lang
      void route()
    })
    const out = token ? el('button', { type: 'button', id: 'sign-out' }, t().signOut) : null
    out?.addEventListener('click', () => signOut())
    const h1 = el('h1', { tabindex: '-1' }, heading)
    root.replaceChildren(
      el('header', {}, el('p', { class: 'brand' }, t().title), nav, language, out),
      h1,
      ...(content.filter(Boolean) as Node[]),
    )
    document.title = `${heading} – ${t().title}`
    h1.focus()
  }

  function signOut(message?: string) {
    token = ''
    sessionStorage.removeItem('dm-mentor-token')
    showSignIn()
    if (message) say(message)
  }

  // The one-time setup link (/mentor/setup#<token>): the token is taken from the address and removed
  // from it at once, so that it stays in no history entry or bookmark.
  const setupToken = location.pathname === '/mentor/setup' ? location.hash.slice(1) : ''
  if (location.pathname === '/mentor/setup') history.replaceState(null, '', '/mentor/setup')
  let issued: { token: string; tokenExpiresAt: string } | undefined

  function showSetup() {
    const text = t()
    if (issued) {
      const shown = el('input', {
        id: 'admin-token',
        type: 'text',
        readonly: true,
        value: issued.token,
        'aria-describedby': 'admin-token-hint',
      }) as HTMLInputElement
      const next = el('button', { type: 'button', id: 'setup-continue' }, text.setupContinue)
      next.addEventListener('click', () => {
        token = issued?.token ?? ''
        issued = undefined
        sessionStorage.setItem('dm-mentor-token', token)
        location.assign('/mentor#queue')
      })
      frame(
        text.setupDoneHeading,
        el('p', { id: 'admin-token-hint' }, text.setupDone),
        el('label', { for: 'admin-token' }, text.setupToken),
        shown,
        el('p', { class: 'hint' }, text.setupValidUntil.replace('{date}', when(issued.tokenExpiresAt))),
        el('p', {}, next),
      )
      shown.select()
      return
    }
    if (!setupToken) return frame(text.setupHeading, el('p', {}, text.setupNoToken))
    const name = el('input', { id: 'setup-name', type: 'text', autocomplete: 'name', required: true })
    const email = el('input', { id: 'setup-email', type: 'email', autocomplete: 'email', required: true })
    const form = el(
      'form',
      {},
      el('label', { for: 'setup-name' }, text.setupName),
      name,
      el('label', { for: 'setup-email' }, text.setupEmail),
      email,
      el('p', {}, el('button', { type: 'submit' }, text.setupCreate)),
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void (async () => {
        const res = await fetch('/v1/setup', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            token: setupToken,
            name: (name as HTMLInputElement).value,
            email: (email as HTMLInputElement).value,
          }),
        })
        const data = (await res.json().catch(() => ({}))) as {
          token?: string
          tokenExpiresAt?: string
          error?: { code?: string; message?: string }
        }
        if (res.ok && data.token && data.tokenExpiresAt) {
          issued = { token: data.token, tokenExpiresAt: data.tokenExpiresAt }
          return showSetup()
        }
        const code = data.error?.code ?? ''
        const message =
          code === 'unauthorized'
            ? t().setupRefused
            : code === 'conflict'
              ? t().setupAdminExists
              : (t().errors[code] ?? data.error?.message ?? String(res.status))
        say(`${t().failed} ${message}`)
      })().catch((error: unknown) => say(`${t().failed} ${String(error)}`))
    })
    frame(text.setupHeading, el('p', {}, text.setupIntro), form)
  }

  function showSignIn() {
    const input = el('input', {
      id: 'token',
      type: 'password',
      autocomplete: 'off',
      required: true,
      'aria-describedby': 'token-hint',
    }) as HTMLInputElement
    const form = el(
      'form',
      {},
      el('label', { for: 'token' }, t().tokenLabel),
      input,
      el('p', { id: 'token-hint', class: 'hint' }, t().tokenHint),
      el('button', { type: 'submit' }, t().signIn),
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      token = input.value.trim()
      void attempt(async () => {
        await api('/v1/handoffs?status=open')
        sessionStorage.setItem('dm-mentor-token', token)
        location.hash = '#queue'
        await route()
      })
    })
    frame(t().signInHeading, form)
  }

  async function showQueue() {
    const params = new URLSearchParams(statusFilter ? { status: statusFilter } : {})
    const page = (cursor?: string) =>
      api<{ handoffs: Handoff[]; nextCursor: string | null }>(
        `/v1/handoffs?${new URLSearchParams([...params, ...(cursor ? [['cursor', cursor]] : [])])}`,
      )
    const first = await page()
    const select = el(
      'select',
      { id: 'status-filter' },
      el('option', { value: '' }, t().all),
    ) as HTMLSelectElement
    for (const [value, label] of Object.entries(t().status))
      select.append(el('option', { value, selected: value === statusFilter }, label))
    select.addEventListener('change', () => {
      statusFilter = select.value
      void attempt(showQueue)
    })
    // One entry per conversation: its latest ticket, and how many it has had.
    const entry = (h: Handoff) =>
      el(
        'li',
        h.reason === 'crisis' && (h.status === 'open' || h.status === 'claimed') ? { class: 'urgent' } : {},
        el('a', { href: `#handoff=${h.id}` }, h.question || t().noQuestion),
        el(
          'p',
          { class: 'meta' },
          `${t().reason[h.reason] ?? h.reason} · ${t().status[h.status] ?? h.status} · ${t().since} ${when(h.createdAt)}`,
          h.claimedBy ? ` · ${t().claimedBy} ${h.claimedBy}` : '',
          (h.conversationTickets ?? 1) > 1
            ? ` · ${t().ticketsInConversation.replace('{n}', String(h.conversationTickets))}`
            : '',
        ),
      )
    const list = el('ul', { class: 'queue' }, ...first.handoffs.map(entry))
    let next = first.nextCursor
    const more = el('button', { type: 'button', id: 'more' }, t().more)
    more.hidden = !next
    more.addEventListener('click', () =>
      attempt(async () => {
        if (!next) return
        const further = await page(next)
        list.append(...further.handoffs.map(entry))
        next = further.nextCursor
        more.hidden = !next
        say(t().loaded.replace('{n}', String(further.handoffs.length)))
      }),
    )
    const empty = el('p', {}, t().empty)
    const show = (handoffs: Handoff[]) => {
      list.replaceChildren(...handoffs.map(entry))
      list.hidden = !handoffs.length
      empty.hidden = handoffs.length > 0
    }
    show(first.handoffs)
    frame(
      t().navQueue,
      el('p', {}, el('label', { for: 'status-filter' }, `${t().statusFilter}: `), select),
      list,
      empty,
      more,
    )
    // Refreshes the first page in place, unless the mentor is working in the list (focus, more pages).
    queueTimer = setInterval(() => {
      if (
        document.hidden ||
        list.contains(document.activeElement) ||
        list.children.length > first.handoffs.length
      )
        return
      void page()
        .then((fresh) => {
          if (!list.isConnected) return
          show(fresh.handoffs)
          first.handoffs = fresh.handoffs
          next = fresh.nextCursor
          more.hidden = !next
        })
        .catch(() => undefined)
    }, QUEUE_REFRESH_MS)
  }

  async function showHandoff(id: string) {
    const h = await api<Handoff>(`/v1/handoffs/${encodeURIComponent(id)}`)
    const text = t()
    const reply = el('textarea', { id: 'reply', rows: '10' }) as HTMLTextAreaElement
    const suggest = el('input', { id: 'suggest', type: 'checkbox' }) as HTMLInputElement
    const sources = el('ol', { class: 'sources', 'aria-label': text.sources })
    const note = el('p', { class: 'hint', id: 'draft-note' })
    const buttons: HTMLElement[] = []
    const button = (label: string, id: string, action: () => Promise<void>) => {
      const b = el('button', { type: 'button', id }, label)
      b.addEventListener('click', () => void attempt(action))
      buttons.push(b)
      return b
    }
    const active = ['open', 'claimed', 'answered'].includes(h.status)
    if (h.status === 'open')
      button(text.claim, 'claim', async () => {
        try {
          await api(`/v1/handoffs/${h.id}/claim`, {})
        } catch (error) {
          if (!(error instanceof ApiError) || error.status !== 409) throw error
          // Someone was quicker: show the ticket as it is now, and who has it.
          const now = await api<Handoff>(`/v1/handoffs/${encodeURIComponent(h.id)}`)
          await showHandoff(h.id)
          return say(
            now.claimedBy
              ? text.takenBy.replace('{name}', now.claimedBy)
              : text.nowStatus.replace('{status}', text.status[now.status] ?? now.status),
          )
        }
        await showHandoff(h.id)
        say(text.claimed)
      })
    if (active)
      button(text.draft, 'draft', async () => {
        say(text.drafting)
        lastDraft = await api<Draft>(`/v1/handoffs/${h.id}/draft`, {})
        reply.value = lastDraft.text
        note.textContent = text.draftNote
        sources.replaceChildren(
          ...lastDraft.citations.map((c) => el('li', { value: String(c.n) }, sourceLabel(c))),
        )
        // The note beside the reply says what to do; the status line only that the draft is there.
        say(text.draftInserted)
        reply.focus()
      })
    if (h.status === 'claimed' || h.status === 'answered')
      button(text.send, 'send', async () => {
        const value = reply.value.trim()
        if (!value) return reply.focus()
        await api(`/v1/handoffs/${h.id}/reply`, {
          text: value,
          citations: lastDraft && value.includes(lastDraft.text.slice(0, 40)) ? lastDraft.citations : [],
          suggestForCorpus: suggest.checked,
        })
        lastDraft = undefined
        await showHandoff(h.id)
        say(text.sent)
      })
    // Closing ends the ticket for good: the button asks first, in the page.
    const confirmClose = el('p', { class: 'confirm', role: 'group', 'aria-label': text.close })
    confirmClose.hidden = true
    if (active) {
      const closeButton = el('button', { type: 'button', id: 'close' }, text.close)
      closeButton.addEventListener('click', () => {
        const yes = el('button', { type: 'button', id: 'close-confirm' }, text.closeConfirm)
        const no = el('button', { type: 'button' }, text.cancel)
        yes.addEventListener('click', () =>
          attempt(async () => {
            await api(`/v1/handoffs/${h.id}/close`, {})
            await showHandoff(h.id)
            say(text.closed)
          }),
        )
        no.addEventListener('click', () => {
          confirmClose.hidden = true
          closeButton.focus()
        })
        confirmClose.replaceChildren(text.closeQuestion, ' ', yes, ' ', no)
        confirmClose.hidden = false
        no.focus()
      })
      buttons.push(closeButton)
    }

    // The conversation as the person wrote it: the service's notices and the greeting before the
    // first question are the same in every ticket, so they are left out.
    const firstQuestion = (h.transcript ?? []).findIndex((m) => m.author === 'user')
    const conversation = (h.transcript ?? []).filter(
      (m, i) => m.author !== 'system' && (m.author !== 'assistant' || i > firstQuestion),
    )
    const entries = conversation.map((m) =>
      el(
        'li',
        { class: `msg ${m.author}` },
        el('p', { class: 'meta' }, `${text.author[m.author] ?? m.author} · ${when(m.at)}`),
        el('p', { class: 'text' }, m.text),
      ),
    )
    const replies = (h.replies ?? []).map((r) =>
      el(
        'li',
        { class: 'msg mentor' },
        el('p', { class: 'meta' }, `${r.mentor ?? text.author.mentor} · ${when(r.at)}`),
        el('p', { class: 'text' }, r.text),
      ),
    )
    frame(
      `${text.reason[h.reason] ?? h.reason} (${text.status[h.status] ?? h.status})`,
      el('p', {}, el('a', { href: '#queue' }, text.back)),
      el(
        'dl',
        {},
        el('dt', {}, text.routerReason),
        el('dd', {}, h.routerReasons?.[lang] ?? h.routerReason ?? ''),
        h.claimedBy ? el('dt', {}, text.claimedBy) : null,
        h.claimedBy ? el('dd', {}, h.claimedBy) : null,
        h.contactEmail ? el('dt', {}, text.contact) : null,
        h.contactEmail ? el('dd', {}, h.contactEmail) : null,
      ),
      el('h2', {}, text.transcript),
      el('ol', { class: 'transcript' }, ...entries),
      replies.length ? el('h2', {}, text.replies) : null,
      replies.length ? el('ol', { class: 'transcript', id: 'replies' }, ...replies) : null,
      active
        ? el(
            'section',
            {},
            el('label', { for: 'reply' }, text.replyLabel),
            reply,
            note,
            sources,
            el('p', {}, suggest, el('label', { for: 'suggest' }, ` ${text.suggest}`)),
          )
        : null,
      el('p', { class: 'actions' }, ...buttons),
      confirmClose,
    )
  }

  async function showInsights() {
    const data = await api<Insights>('/v1/insights?days=30')
    const text = t()
    const table = (caption: string, counts: Record<string, number>, label: (key: string) => string) =>
      el(
        'table',
        {},
        el('caption', {}, caption),
        ...Object.entries(counts).map(([key, n]) =>
          el('tr', {}, el('th', { scope: 'row' }, label(key)), el('td', {}, String(n))),
        ),
      )
    const dayLabel = (day: string) =>
      new Date(`${day}T12:00:00Z`).toLocaleDateString(lang === 'de' ? 'de-DE' : 'en-GB', {
        day: '2-digit',
        month: '2-digit',
        timeZone: 'UTC',
      })
    const chart = (id: string, title: string, series: Array<{ label: string; values: number[] }>) =>
      charts.dailyChart({
        id,
        title,
        days: data.daily.days,
        series,
        texts: text.chart,
        dayLabel,
        legend: id !== 'chart-chats',
      })
    // The reasons in the order of the legend everywhere: the most frequent first.
    const reasons = Object.keys(data.daily.handoffs).sort(
      (a, b) => (data.handoffsByReason[b] ?? 0) - (data.handoffsByReason[a] ?? 0) || a.localeCompare(b),
    )
    frame(
      text.insightsHeading,
      el('p', { class: 'hint' }, text.chartDays),
      el(
        'section',
        { class: 'charts', 'aria-label': text.chartsLabel },
        chart('chart-chats', text.chatsPerDay, [{ label: text.chats, values: data.daily.chats }]),
        chart(
          'chart-handoffs',
          text.handoffsPerDay,
          reasons.map((reason) => ({
            label: text.reason[reason] ?? reason,
            values: data.daily.handoffs[reason] ?? [],
          })),
        ),
        chart('chart-ratings', text.ratingsPerDay, [
          { label: text.up, values: data.daily.ratings.up },
          { label: text.down, values: data.daily.ratings.down },
        ]),
      ),
      table(text.questionsByRoute, data.questionsByRoute, (k) => text.reason[k] ?? k),
      table(text.handoffsByReason, data.handoffsByReason, (k) => text.reason[k] ?? k),
      table(text.handoffsByStatus, data.handoffsByStatus, (k) => text.status[k] ?? k),
      table(text.feedback, { [text.up]: data.feedback.up, [text.down]: data.feedback.down }, (k) => k),
      table(
        text.notifications,
        {
          [text.delivered]: data.notifications.delivered,
          [text.undelivered]: data.notifications.undelivered,
        },
        (k) => k,
      ),
      el('h2', {}, text.gaps),
      data.knowledgeGaps.length
        ? el(
            'ul',
            {},
            ...data.knowledgeGaps.map((g) => el('li', {}, `${g.question} (${g.lang}, ${when(g.createdAt)})`)),
          )
        : el('p', {}, text.noGaps),
      el('h2', {}, text.overdue),
      data.overdueDocuments.length
        ? el(
            'ul',
            {},
            ...data.overdueDocuments.map((d) =>
              el('li', {}, `${d.title} (${d.id}, ${text.reviewBy} ${d.reviewBy})`),
            ),
          )
        : el('p', {}, text.noOverdue),
    )
  }

  function showDraft() {
    const text = t()
    const question = el('textarea', {
      id: 'draft-question',
      rows: '4',
      required: true,
    }) as HTMLTextAreaElement
    const language = el(
      'select',
      { id: 'draft-lang' },
      el('option', { value: 'de' }, 'Deutsch'),
      el('option', { value: 'en' }, 'English'),
    ) as HTMLSelectElement
    const output = el('textarea', {
      id: 'draft-output',
      rows: '10',
      readonly: true,
      'aria-label': text.draftHeading,
    }) as HTMLTextAreaElement
    const sources = el('ol', { class: 'sources', 'aria-label': text.sources })
    const form = el(
      'form',
      {},
      el('label', { for: 'draft-question' }, text.draftQuestion),
      question,
      el('label', { for: 'draft-lang' }, text.draftLang),
      language,
      el('button', { type: 'submit' }, text.makeDraft),
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void attempt(async () => {
        say(text.drafting)
        const draft = await api<Draft>('/v1/drafts', { question: question.value, lang: language.value })
        output.value = draft.text
        sources.replaceChildren(
          ...draft.citations.map((c) => el('li', { value: String(c.n) }, sourceLabel(c))),
        )
        say(text.draftNote)
      })
    })
    frame(text.draftHeading, form, output, sources)
  }

  async function route() {
    document.documentElement.lang = lang
    if (location.pathname === '/mentor/setup') return showSetup()
    if (!token) return showSignIn()
    const hash = location.hash
    await attempt(async () => {
      if (hash.startsWith('#handoff=')) await showHandoff(hash.slice('#handoff='.length))
      else if (hash === '#insights') await showInsights()
      else if (hash === '#draft') showDraft()
      else await showQueue()
    })
  }

  window.addEventListener('hashchange', () => void route())
  void route()
}
