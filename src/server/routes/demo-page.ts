// A demo association website, so that `npm start` shows the widget at once. German page text: it
// stands for a German association's site.
export const DEMO_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' https:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export const demoPage = `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Musterverband – KI im Mittelstand (Demo)</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<header><p class="logo">Musterverband</p><nav><a href="/">Start</a> <a href="/docs">API</a> <a href="/mentor">Mentor-Bereich</a></nav></header>
<main>
<h1>KI im Mittelstand – gut für den Betrieb und die Menschen</h1>
<p>Diese Seite zeigt, wie ein Verband den Digital-Mentor einbindet. Unten rechts öffnen Sie den Chat:
Fragen Sie zum Beispiel „Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?“.</p>
<p>Fragen zu Betriebsrat, Mitbestimmung und Personalangelegenheiten beantwortet ein menschlicher Mentor;
der Digital-Mentor gibt sie weiter.</p>
<h2>Einbinden mit einer Zeile</h2>
<pre><code>&lt;script src="https://mentor.example.org/widget.js" data-tenant="ihr-verband" async&gt;&lt;/script&gt;</code></pre>
<p lang="en">This is a demo page. The widget follows the page language; <code>data-lang="en"</code> switches it to English.</p>
</main>
<script src="/widget.js" data-tenant="default" async></script>
</body>
</html>
`

export const demoStyle = `
body { font-family: Georgia, serif; margin: 0; color: #222; background: #fdfcf8; }
header { display: flex; justify-content: space-between; align-items: center; padding: 1rem 2rem; background: #23395d; color: #fff; }
header a { color: #fff; margin-left: 1rem; }
.logo { font-weight: bold; font-size: 1.3rem; margin: 0; }
main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; }
pre { background: #eee; padding: .8rem; white-space: pre-wrap; overflow-wrap: anywhere; }
`
