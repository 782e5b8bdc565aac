// The widget's style, inside its shadow root; the host page can theme it through the custom
// properties --dm-color, --dm-radius and --dm-font on the widget's host element.
export const widgetStyle = `
:host { all: initial; position: fixed; bottom: 16px; right: 16px; z-index: 2147483000;
  --c: var(--dm-color, #0b4f8a); font-family: var(--dm-font, system-ui, sans-serif); color: #1b1f24; }
:host([data-position=left]) { right: auto; left: 16px; }
* { box-sizing: border-box; }
.launcher { width: 56px; height: 56px; border-radius: 50%; border: 0; background: var(--c); color: #fff;
  cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); display: grid; place-items: center; }
.launcher img { width: 32px; height: 32px; border-radius: 50%; }
.panel { position: absolute; bottom: 68px; right: 0; width: min(380px, calc(100vw - 32px));
  height: min(600px, calc(100vh - 100px)); display: flex; flex-direction: column; background: #fff;
  border-radius: var(--dm-radius, 12px); box-shadow: 0 8px 30px rgba(0,0,0,.3); overflow: hidden; font-size: 15px; line-height: 1.45; }
:host([data-position=left]) .panel { right: auto; left: 0; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; gap: 8px; background: var(--c); color: #fff; padding: 10px 12px; }
header h2 { font-size: 16px; margin: 0 auto 0 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
header button { white-space: nowrap; background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.6); border-radius: 6px;
  padding: 4px 8px; cursor: pointer; font: inherit; font-size: 13px; }
.log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 10px; background: #f6f7f9; }
.msg { max-width: 92%; padding: 8px 10px; border-radius: 10px; background: #fff; border: 1px solid #dde1e5; overflow-wrap: anywhere; }
.msg p { margin: 0 0 6px; } .msg p:last-child { margin-bottom: 0; }
.msg ul, .msg ol { margin: 4px 0; padding-left: 20px; }
.msg.user { align-self: flex-end; background: var(--c); color: #fff; border-color: transparent; white-space: pre-wrap; }
.msg.mentor { border-left: 4px solid #1f7a3a; }
.msg.system { font-size: 13px; background: #fff8e1; border-color: #f0d27a; }
.who { font-size: 12px; color: #535b63; margin-bottom: 2px; }
.sources { font-size: 13px; margin-top: 6px; } .sources .stand { color: #535b63; } .sources ol { padding-left: 18px; margin: 2px 0; }
.feedback { display: flex; gap: 6px; margin-top: 6px; }
.feedback button, .handoff button { font: inherit; font-size: 13px; border: 1px solid #8a939c; background: #fff;
  border-radius: 6px; padding: 2px 8px; cursor: pointer; }
.handoff { font-size: 14px; background: #eef6f0; border: 1px solid #b5d6bf; border-radius: 10px; padding: 8px 10px; }
.handoff input[type=email] { width: 100%; padding: 6px; font: inherit; margin: 4px 0; border: 1px solid #8a939c; border-radius: 6px; }
.handoff label { display: block; }
.offer { display: block; margin-top: 6px; font: inherit; font-size: 13px; border: 1px solid var(--c); color: var(--c);
  background: #fff; border-radius: 6px; padding: 3px 10px; cursor: pointer; }
.human-row { padding: 0 8px 8px; background: #fff; text-align: center; }
.human-row button { font: inherit; font-size: 13px; background: none; border: 0; color: var(--c); text-decoration: underline;
  cursor: pointer; padding: 2px 4px; }
.typing { font-size: 13px; color: #535b63; font-style: italic; }
.error { color: #a4161a; font-size: 14px; }
form.ask { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #dde1e5; background: #fff; }
form.ask textarea { flex: 1; resize: none; font: inherit; padding: 8px; border: 1px solid #8a939c; border-radius: 8px; min-height: 42px; }
form.ask button { background: var(--c); color: #fff; border: 0; border-radius: 8px; padding: 0 14px; font: inherit; cursor: pointer; }
/* Focus: a dark ring on the light parts, a white one on the coloured header (both well above 3:1). */
button:focus-visible, textarea:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #1b1f24; outline-offset: 2px; }
header button:focus-visible { outline-color: #fff; }
.launcher:focus-visible { outline-color: #1b1f24; box-shadow: 0 0 0 2px #fff; }
.confirm { font-size: 14px; background: #fff; border: 1px solid #a4161a; border-radius: 10px; padding: 8px 10px; }
.confirm p { margin: 0 0 6px; }
.confirm button { font: inherit; font-size: 13px; border: 1px solid #8a939c; background: #fff; border-radius: 6px;
  padding: 3px 10px; cursor: pointer; margin-right: 6px; }
.confirm button.danger { background: #a4161a; border-color: #a4161a; color: #fff; }
/* Phones: the open panel takes the whole screen, so no page text shows around it. */
@media (max-width: 480px) {
  .panel { position: fixed; inset: 0; width: 100vw; height: 100dvh; border-radius: 0; }
  header h2 { font-size: 15px; }
  :host([data-open]) .launcher { display: none; }
}
a { color: var(--c); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`
