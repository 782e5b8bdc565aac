// An example value for a JSON Schema of the OpenAPI document (which @hono/zod-openapi derives from the
// routes' zod schemas): `$ref`s are resolved, a schema's own example, default, const or first enum value
// wins, and plain strings get a value that fits their property's name, so that examples read like data.

export type JsonSchema = {
  $ref?: string
  type?: string | string[]
  format?: string
  enum?: unknown[]
  const?: unknown
  example?: unknown
  examples?: unknown[]
  default?: unknown
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  minItems?: number
  minimum?: number
  exclusiveMinimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  allOf?: JsonSchema[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
}

/** Where `#/components/schemas/X` points. */
export type SchemaComponents = Record<string, JsonSchema>

const EXAMPLE_ID = '3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d'
const EXAMPLE_TIME = '2026-12-01T09:30:00.000Z'

// Strings by property name. Without these, every text in the reference would read "string".
const BY_NAME: Record<string, string> = {
  documentId: 'anwendungsfaelle-finden',
  title: 'KI-Anwendungsfälle im Betrieb finden',
  heading: 'KI-Anwendungsfälle im Betrieb finden › Mit den Beschäftigten beginnen',
  text: 'Beginnen Sie mit den Aufgaben, die Ihre Beschäftigten als mühsam erleben …',
  question: 'Wie beteiligen wir die Beschäftigten an der Einführung?',
  query: 'Wie beteiligen wir die Beschäftigten?',
  url: '/wissen/anwendungsfaelle-finden',
  reviewed: '2026-10-15',
  name: 'Anna Berg',
  tenant: 'default',
  slug: 'default',
  locale: 'de',
  lang: 'de',
  channel: 'widget',
  reason: 'works_council',
  status: 'open',
  author: 'assistant',
  route: 'answer',
  mode: 'extractive',
  token: 'dm_c2VjcmV0LXRva2VuLWV4YW1wbGU',
  note: 'Bitte rufen Sie mich zurück.',
  comment: 'zu allgemein',
  email: 'kontakt@example.org',
  code: 'validation_failed',
  message: 'text: must not be empty',
}

const resolve = (schema: JsonSchema, components: SchemaComponents): JsonSchema => {
  const name = schema.$ref?.replace('#/components/schemas/', '')
  return name !== undefined ? (components[name] ?? {}) : schema
}

function stringExample(schema: JsonSchema, name: string | undefined): string {
  if (schema.format === 'uuid' || name === 'id' || name?.endsWith('Id')) {
    if (name && BY_NAME[name]) return BY_NAME[name]
    return EXAMPLE_ID
  }
  if (schema.format === 'date-time' || name?.endsWith('At')) return EXAMPLE_TIME
  if (schema.format === 'date') return '2026-12-01'
  if (schema.format === 'email') return 'kontakt@example.org'
  if (schema.format === 'uri' || name?.endsWith('Url')) return 'https://verband.example.org/datenschutz'
  const byName = name ? BY_NAME[name] : undefined
  const value = byName ?? 'Beispiel'
  // A pattern the hint may not fit (a slug, a colour): the schema's own words are safer than a guess.
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return patternHint(schema.pattern)
  return schema.maxLength !== undefined ? value.slice(0, schema.maxLength) : value
}

// The few patterns the API uses; anything else gets a neutral word.
function patternHint(pattern: string): string {
  if (pattern.includes('[0-9a-fA-F]{6}') || pattern.includes('[0-9a-f]{6}')) return '#0b4f8a'
  return 'default'
}

function numberExample(schema: JsonSchema, integer: boolean): number {
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1)
  const value = schema.maximum !== undefined ? Math.min(low, schema.maximum) : low
  return integer ? Math.ceil(value) : value
}

/** An example for `schema`; `name` is the property it describes, if any. */
export function exampleFor(
  schema: JsonSchema,
  components: SchemaComponents,
  name?: string,
  depth = 0,
): unknown {
  const s = resolve(schema, components)
  if (s.example !== undefined) return s.example
  if (s.examples?.length) return s.examples[0]
  if (s.const !== undefined) return s.const
  if (s.default !== undefined) return s.default
  if (s.enum?.length) {
    const hint = name ? BY_NAME[name] : undefined
    return s.enum.includes(hint) ? hint : (s.enum.find((v) => v !== null) ?? s.enum[0])
  }
  // Deep enough for every schema of this API; a cycle would stop here.
  if (depth > 12) return null
  if (s.allOf) {
    const parts = s.allOf.map((part) => exampleFor(part, components, name, depth + 1))
    return parts.every((p) => typeof p === 'object' && p !== null && !Array.isArray(p))
      ? Object.assign({}, ...parts)
      : parts[0]
  }
  const choices = s.anyOf ?? s.oneOf
  if (choices) {
    const first = choices.find((c) => resolve(c, components).type !== 'null') ?? choices[0]
    return first ? exampleFor(first, components, name, depth + 1) : null
  }
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : []
  const type = types.find((t) => t !== 'null') ?? types[0] ?? (s.properties ? 'object' : undefined)
  switch (type) {
    case 'object': {
      const entries = Object.entries(s.properties ?? {}).map(([key, value]) => [
        key,
        exampleFor(value, components, key, depth + 1),
      ])
      if (entries.length === 0 && typeof s.additionalProperties === 'object')
        entries.push(['key', exampleFor(s.additionalProperties, components, undefined, depth + 1)])
      return Object.fromEntries(entries)
    }
    case 'array': {
      const item = s.items ? exampleFor(s.items, components, singular(name), depth + 1) : 'Beispiel'
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => item)
    }
    case 'string':
      return stringExample(s, name)
    case 'integer':
      return numberExample(s, true)
    case 'number':
      return numberExample(s, false)
    case 'boolean':
      return false
    case 'null':
      return null
    default:
      return null
  }
}

// "origins" -> "origin", so that list items get their element's hint.
const singular = (name: string | undefined) => (name?.endsWith('s') ? name.slice(0, -1) : name)
