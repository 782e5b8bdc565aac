// The mentor console's charts: small stacked bar charts of day-by-day totals, drawn as inline SVG by
// the console's own script (no library, nothing from elsewhere, so the strict CSP holds). Like the
// console, this is served as the source of one function and must stay self-contained. Each chart is a
// figure with a title and a text summary for screen readers, and its values as a table to open.

export type ChartSeries = { label: string; values: number[] }

export type ChartTexts = {
  /** "{total} in total; most on {day} ({n})". */
  summary: string
  empty: string
  asTable: string
  day: string
  total: string
}

export type DailyChartOptions = {
  id: string
  title: string
  days: string[]
  series: ChartSeries[]
  texts: ChartTexts
  /** How a day (YYYY-MM-DD) is written in the console's language. */
  dayLabel: (day: string) => string
  /** Whether the series are named beside the chart even when there is only one (a reason, say). */
  legend?: boolean
}

export function consoleCharts() {
  const SVG = 'http://www.w3.org/2000/svg'
  // The drawing's own units; the SVG scales to the width it is given.
  const WIDTH = 600
  const HEIGHT = 170
  const LEFT = 34
  const BOTTOM = 22
  const TOP = 8
  // Series colours come from the style sheet (.series-0 …); more series than this reuse them.
  const PALETTE_SIZE = 6

  function svg(tag: string, attrs: Record<string, string | number>, ...children: Array<Node | string>) {
    const node = document.createElementNS(SVG, tag)
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value))
    for (const child of children) node.append(child)
    return node
  }
  function html(tag: string, attrs: Record<string, string>, ...children: Array<Node | string>) {
    const node = document.createElement(tag)
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value)
    for (const child of children) node.append(child)
    return node
  }

  /** A stacked bar per day, the series in the legend's order, bottom up. */
  function dailyChart(options: DailyChartOptions): HTMLElement {
    const { id, days, series, texts, dayLabel } = options
    const totals = days.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0))
    const total = totals.reduce((sum, n) => sum + n, 0)
    const peak = Math.max(1, ...totals)
    const busiest = totals.indexOf(Math.max(...totals))
    const summary = total
      ? texts.summary
          .replace('{total}', String(total))
          .replace('{day}', dayLabel(days[busiest] ?? ''))
          .replace('{n}', String(totals[busiest] ?? 0))
      : texts.empty

    const plotWidth = WIDTH - LEFT
    const plotHeight = HEIGHT - BOTTOM - TOP
    const slot = plotWidth / Math.max(1, days.length)
    const barWidth = Math.max(2, slot * 0.7)
    const y = (value: number) => TOP + plotHeight - (value / peak) * plotHeight

    const drawing = svg('svg', {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
      class: 'chart',
    })
    drawing.append(svg('title', { id: `${id}-title` }, options.title))
    drawing.append(svg('desc', { id: `${id}-desc` }, summary))
    // The scale: zero, the peak and, where it is a whole number, the half.
    const ticks = peak >= 2 && peak % 2 === 0 ? [0, peak / 2, peak] : [0, peak]
    for (const tick of ticks) {
      drawing.append(
        svg('line', { x1: LEFT, x2: WIDTH, y1: y(tick), y2: y(tick), class: 'grid' }),
        svg('text', { x: LEFT - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'axis' }, String(tick)),
      )
    }
    days.forEach((day, i) => {
      let base = 0
      const x = LEFT + i * slot + (slot - barWidth) / 2
      series.forEach((s, k) => {
        const value = s.values[i] ?? 0
        if (!value) return
        const top = y(base + value)
        drawing.append(
          svg(
            'rect',
            {
              x,
              y: top,
              width: barWidth,
              height: y(base) - top,
              class: `series-${k % PALETTE_SIZE}`,
            },
            svg('title', {}, `${dayLabel(day)}: ${s.label} ${value}`),
          ),
        )
        base += value
      })
    })
    // The first, the middle and the last day under the bars.
    const labelled = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])]
    for (const i of labelled) {
      const day = days[i]
      if (day === undefined) continue
      const anchor = i === 0 ? 'start' : i === days.length - 1 ? 'end' : 'middle'
      const x = i === 0 ? LEFT : i === days.length - 1 ? WIDTH : LEFT + (i + 0.5) * slot
      drawing.append(svg('text', { x, y: HEIGHT - 6, 'text-anchor': anchor, class: 'axis' }, dayLabel(day)))
    }

    const legend =
      series.length > 1 || options.legend
        ? html(
            'ul',
            { class: 'legend' },
            ...series.map((s, k) =>
              html(
                'li',
                {},
                html('span', { class: `swatch series-${k % PALETTE_SIZE}`, 'aria-hidden': 'true' }),
                `${s.label}: ${s.values.reduce((sum, n) => sum + n, 0)}`,
              ),
            ),
          )
        : null

    // The values as text: every day with a value, each series and the day's total.
    const header = html(
      'tr',
      {},
      html('th', { scope: 'col' }, texts.day),
      ...series.map((s) => html('th', { scope: 'col' }, s.label)),
      ...(series.length > 1 ? [html('th', { scope: 'col' }, texts.total)] : []),
    )
    const rows = days.flatMap((day, i) =>
      totals[i]
        ? [
            html(
              'tr',
              {},
              html('th', { scope: 'row' }, dayLabel(day)),
              ...series.map((s) => html('td', {}, String(s.values[i] ?? 0))),
              ...(series.length > 1 ? [html('td', {}, String(totals[i]))] : []),
            ),
          ]
        : [],
    )
    const table = html(
      'details',
      {},
      html('summary', {}, texts.asTable),
      rows.length
        ? html(
            'table',
            {},
            html('caption', {}, options.title),
            html('thead', {}, header),
            html('tbody', {}, ...rows),
          )
        : html('p', {}, texts.empty),
    )

    return html(
      'figure',
      { class: 'chart-figure', id },
      html(
        'figcaption',
        {},
        html('strong', {}, options.title),
        ' ',
        html('span', { class: 'hint' }, summary),
      ),
      drawing,
      ...(legend ? [legend] : []),
      table,
    )
  }

  return { dailyChart }
}

export type ConsoleCharts = ReturnType<typeof consoleCharts>
