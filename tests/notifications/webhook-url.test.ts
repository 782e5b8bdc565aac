// The webhook rules on what a URL says and on the addresses a name resolves to: https only, public
// hosts only (however an address is written), the operator's allow-list and exemption.
import { describe, expect, it } from 'vitest'
import { isPublicAddress, parseIPv6 } from '../../src/notifications/public-address.ts'
import { allowedHostEntry, webhookUrlProblem } from '../../src/notifications/webhook-url.ts'

const NUMERIC = /four decimal numbers/
const INTERNAL_ADDRESS = /not a loopback, private, link-local or other internal address/
const INTERNAL_NAME = /not this machine, an internal name or a cloud metadata service/

describe('webhookUrlProblem', () => {
  it.each([
    ['http://hooks.example.org/x', /https URL/],
    ['ftp://hooks.example.org/x', /https URL/],
    ['not a url', /https URL/],
    // Numeric hosts in forms that URL parsing turns into 127.0.0.1 or 169.254.169.254.
    ['https://2130706433/', NUMERIC],
    ['https://0x7f000001/', NUMERIC],
    ['https://0x7f.0.0.1/', NUMERIC],
    ['https://0177.0.0.1/', NUMERIC],
    ['https://127.1/', NUMERIC],
    ['https://2852039166/latest/meta-data', NUMERIC],
    ['https://%31%32%37.0.0.1/', NUMERIC],
    // Public addresses are refused in those forms too: they exist only to get past checks.
    ['https://1572395042/', NUMERIC],
    // Internal addresses, written plainly.
    ['https://127.0.0.1/', INTERNAL_ADDRESS],
    ['https://127.0.0.1./', INTERNAL_ADDRESS],
    ['https://0.0.0.0/', INTERNAL_ADDRESS],
    ['https://10.1.2.3/', INTERNAL_ADDRESS],
    ['https://172.16.0.1/', INTERNAL_ADDRESS],
    ['https://172.31.255.255/', INTERNAL_ADDRESS],
    ['https://192.168.178.1/', INTERNAL_ADDRESS],
    ['https://169.254.169.254/latest/meta-data', INTERNAL_ADDRESS],
    ['https://100.64.0.1/', INTERNAL_ADDRESS],
    ['https://100.100.100.200/', INTERNAL_ADDRESS],
    ['https://224.0.0.1/', INTERNAL_ADDRESS],
    ['https://255.255.255.255/', INTERNAL_ADDRESS],
    ['https://user@127.0.0.1:8443/x', INTERNAL_ADDRESS],
    ['https://[::1]/', INTERNAL_ADDRESS],
    ['https://[::]/', INTERNAL_ADDRESS],
    ['https://[::ffff:127.0.0.1]/', INTERNAL_ADDRESS],
    ['https://[::ffff:a9fe:a9fe]/', INTERNAL_ADDRESS],
    ['https://[::ffff:93.184.215.14]/', INTERNAL_ADDRESS],
    ['https://[::127.0.0.1]/', INTERNAL_ADDRESS],
    ['https://[64:ff9b::a9fe:a9fe]/', INTERNAL_ADDRESS],
    ['https://[2002:a9fe:a9fe::1]/', INTERNAL_ADDRESS],
    ['https://[2001:0:a9fe:a9fe::1]/', INTERNAL_ADDRESS],
    ['https://[fc00::1]/', INTERNAL_ADDRESS],
    ['https://[fd00:ec2::254]/', INTERNAL_ADDRESS],
    ['https://[fe80::1]/', INTERNAL_ADDRESS],
    ['https://[ff02::1]/', INTERNAL_ADDRESS],
    // Names that lead to this machine, a private network or a metadata service.
    ['https://localhost/', INTERNAL_NAME],
    ['https://LOCALHOST./', INTERNAL_NAME],
    ['https://api.localhost/', INTERNAL_NAME],
    ['https://metadata/computeMetadata/v1/', INTERNAL_NAME],
    ['https://metadata.google.internal/computeMetadata/v1/', INTERNAL_NAME],
    ['https://metadata.goog/', INTERNAL_NAME],
    ['https://instance-data/latest/', INTERNAL_NAME],
    ['https://printer.local/', INTERNAL_NAME],
    ['https://nas.home.arpa/', INTERNAL_NAME],
    ['https://kubernetes.default.svc/', INTERNAL_NAME],
    ['https://intranet/', INTERNAL_NAME],
  ])('refuses %s', (url, reason) => {
    expect(webhookUrlProblem(url)).toMatch(reason)
  })

  it.each([
    'https://hooks.example.org/mentors',
    'https://prod-12.westeurope.logic.azure.com:443/workflows/abc?sig=secret',
    'https://93.184.215.14/hook',
    'https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook',
    'https://bot:secret@hooks.example.org:8443/x',
  ])('accepts %s', (url) => {
    expect(webhookUrlProblem(url)).toBeUndefined()
  })

  it('keeps webhooks on the operator’s allow-list when there is one', () => {
    const policy = { allowedHosts: ['hooks.slack.com', '*.webhook.office.com'] }
    expect(webhookUrlProblem('https://hooks.slack.com/services/x', policy)).toBeUndefined()
    expect(webhookUrlProblem('https://verband.webhook.office.com/x', policy)).toBeUndefined()
    expect(webhookUrlProblem('https://webhook.office.com/x', policy)).toMatch(/operator allows/)
    expect(webhookUrlProblem('https://hooks.example.org/x', policy)).toMatch(
      /operator allows for webhooks \(hooks\.slack\.com, \*\.webhook\.office\.com\)/,
    )
    // The allow-list narrows; it never admits an internal address.
    expect(webhookUrlProblem('https://127.0.0.1/', { allowedHosts: ['127.0.0.1'] })).toMatch(INTERNAL_ADDRESS)
  })

  it('exempts only the operator’s own webhook, and only when the operator says so', () => {
    const own = 'http://relay.intern:8080/hook'
    expect(webhookUrlProblem(own, { exemptUrl: own })).toBeUndefined()
    expect(webhookUrlProblem('http://relay.intern:8080/other', { exemptUrl: own })).toMatch(/https URL/)
    expect(webhookUrlProblem(own)).toMatch(/https URL/)
  })

  it('reads allow-list entries as host names', () => {
    expect(allowedHostEntry('Hooks.Example.org')).toBe('hooks.example.org')
    expect(allowedHostEntry('*.example.org')).toBe('*.example.org')
    expect(allowedHostEntry('bücher.example')).toBe('xn--bcher-kva.example')
    for (const bad of ['https://x.org', 'x.org/path', 'x.org:443', '*', 'a b', ''])
      expect(allowedHostEntry(bad)).toBeUndefined()
  })
})

describe('isPublicAddress (what a name resolved to)', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.5',
    '169.254.169.254',
    '100.64.1.1',
    '0.0.0.0',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:93.184.215.14',
    '::127.0.0.1',
    '64:ff9b::7f00:1',
    'fe80::1%eth0',
    'fd00:ec2::254',
    'fc00::1',
    'ff02::1',
    '2001:db8::1',
    '0177.0.0.1',
    '2130706433',
    'localhost',
    '',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false)
  })

  it.each(['93.184.215.14', '8.8.8.8', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '2a00:1450:4001:80e::200e'])(
    'accepts %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true)
    },
  )

  it('reads IPv6 in every written form', () => {
    expect(parseIPv6('::ffff:127.0.0.1')).toBe(parseIPv6('::ffff:7f00:1'))
    expect(parseIPv6('[2001:db8:0:0:0:0:0:1]')).toBe(parseIPv6('2001:db8::1'))
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toBe(0x0001_0002_0003_0004_0005_0006_0007_0008n)
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', ':1', 'g::1', '1.2.3.4', '::1.2.3'])
      expect(parseIPv6(bad)).toBeUndefined()
  })
})
