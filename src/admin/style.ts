/** The console's stylesheet: one column, big tap targets, readable on a phone. */
export const consoleCss = `
:root { --fg: #1d2125; --muted: #5f6b76; --line: #dde1e5; --bg: #f6f7f8; --accent: #1a5fb4; --danger: #b3261e; --ok: #1e7b34; font-family: system-ui, sans-serif; color: var(--fg); background: var(--bg); }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .5rem 1rem; background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
.top h1 { font-size: 1.2rem; margin: 0; }
#signout { margin-left: auto; }
#tabs { display: flex; gap: .25rem; flex-wrap: wrap; flex: 1; }
#tabs button { min-height: 44px; padding: .4rem .8rem; border: 1px solid var(--line); background: #fff; border-radius: 999px; font-size: 1rem; }
#tabs button[aria-current="true"] { background: var(--accent); color: #fff; border-color: var(--accent); }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
button { font: inherit; cursor: pointer; }
.big, .bulk button, .actions button { min-height: 44px; min-width: 44px; padding: .5rem .9rem; border-radius: .4rem; border: 1px solid var(--line); background: #fff; }
.big { background: var(--accent); color: #fff; border-color: var(--accent); font-size: 1.1rem; }
.danger { color: var(--danger); }
.quiet { background: none; border: 1px solid var(--line); border-radius: .4rem; min-height: 44px; padding: .4rem .8rem; }
.signin { display: grid; gap: .6rem; max-width: 24rem; margin: 3rem auto; background: #fff; padding: 1.5rem; border: 1px solid var(--line); border-radius: .6rem; }
.signin input { min-height: 44px; font-size: 1rem; padding: .4rem .6rem; }
.error { color: var(--danger); min-height: 1.2em; }
.toolbar, .bulk { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .5rem; }
#search { flex: 1 1 14rem; min-height: 44px; font-size: 1rem; padding: .4rem .6rem; }
#sort, #reason { min-height: 44px; font-size: 1rem; }
#article { flex: 1 1 10rem; min-height: 44px; font-size: 1rem; padding: .4rem .6rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.article-bar { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--ok); border-radius: .6rem; padding: .6rem .8rem; margin-bottom: .6rem; }
.article-bar[data-closed="true"] { border-left-color: var(--danger); }
.article-bar h2 { font-size: 1rem; margin: 0; overflow-wrap: anywhere; }
.article-bar .key { font-family: ui-monospace, monospace; font-weight: normal; }
.article-bar .state { margin: 0; flex: 1 1 12rem; }
.article-bar[data-closed="true"] .state { color: var(--danger); font-weight: 600; }
.article-bar .big:disabled { opacity: .6; cursor: default; }
button.link { background: none; border: none; padding: 0; color: var(--accent); text-decoration: underline; font-size: inherit; min-height: 24px; }
button.chip { cursor: pointer; color: inherit; }
button.chip[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
.check { display: inline-flex; align-items: center; gap: .3rem; min-height: 44px; }
.check input, .item input[type=checkbox] { width: 1.4rem; height: 1.4rem; }
.list { list-style: none; padding: 0; margin: 0; display: grid; gap: .6rem; }
.item { background: #fff; border: 1px solid var(--line); border-radius: .6rem; padding: .8rem; display: grid; grid-template-columns: auto 1fr; gap: .4rem .8rem; }
.item.current { outline: 3px solid var(--accent); outline-offset: 1px; }
.item.selected { background: #eef4fc; }
.item img { width: 40px; height: 40px; border-radius: 50%; }
.meta { display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem .8rem; font-size: .9rem; color: var(--muted); overflow-wrap: anywhere; }
.meta .author { color: var(--fg); font-weight: 600; }
.body { grid-column: 1 / -1; overflow-wrap: anywhere; }
.body p { margin: .3rem 0; }
.chips { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: .3rem; }
.chip { font-size: .8rem; padding: .1rem .5rem; border-radius: 999px; background: #fff4e5; border: 1px solid #f0c890; display: inline-flex; align-items: center; min-height: 28px; }
.chip.score { background: #fde8e8; border-color: #f0a0a0; }
.chip.status { background: #eef; border-color: #ccd; }
.actions { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: .4rem; }
.muted { color: var(--muted); }
.keys { font-size: .85rem; margin-top: 1rem; }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: .25rem; padding: 0 .3rem; background: #fff; }
.webhooks { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--danger); border-radius: .6rem; padding: 0 .8rem; margin-bottom: .6rem; }
.webhooks summary { min-height: 44px; padding: .6rem 0; cursor: pointer; color: var(--danger); }
.webhooks ol { margin: 0 0 .6rem; padding: 0; list-style: none; font-size: .9rem; overflow-wrap: anywhere; }
.webhooks li { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem .5rem; padding: .4rem 0; border-top: 1px solid var(--line); }
.webhooks li .what { flex: 1 1 16rem; }
.webhooks button { min-height: 44px; min-width: 44px; padding: .4rem .8rem; border-radius: .4rem; border: 1px solid var(--line); background: #fff; }
.webhooks button:disabled { opacity: .6; cursor: default; }
.webhooks .tools { display: flex; justify-content: flex-end; margin: 0 0 .6rem; }
.link-page main { max-width: 30rem; text-align: center; padding-top: 3rem; }
@media (max-width: 600px) {
  main { padding: .5rem; }
  #tabs { order: 3; flex: 1 1 100%; }
  #tabs button { flex: 1 1 40%; padding: .4rem .5rem; }
  .keys { display: none; }
  .bulk { position: sticky; bottom: 0; background: var(--bg); padding: .4rem 0; z-index: 1; }
  .bulk button, .actions button { flex: 1 1 auto; }
  button.chip, button.link { min-height: 44px; }
  .article-bar button { flex: 1 1 auto; }
}
`
