/** The console's stylesheet: one column, 44 px tap targets, light or dark as the system is. */
export const consoleCss = `
:root { color-scheme: light dark; --fg: #1d2125; --muted: #5b6670; --line: #d5dae0; --bg: #f6f7f8; --card: #fff; --raised: #eef4fc; --accent: #1a5fb4; --on-accent: #fff; --danger: #b3261e; --ok: #1e7b34;
  --chip: #f1f3f5; --chip-line: #d5dae0; --warn: #fff4e5; --warn-line: #f0c890; --bad: #fde8e8; --bad-line: #e89a9a;
  font-family: system-ui, sans-serif; color: var(--fg); background: var(--bg); }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e9ec; --muted: #a3adb7; --line: #3a424b; --bg: #14181c; --card: #1d2329; --raised: #1f3047; --accent: #8ab4ff; --on-accent: #0d1b2e; --danger: #ff8f85; --ok: #6fcf8a;
    --chip: #262d34; --chip-line: #3e4750; --warn: #3a2e17; --warn-line: #7a5a22; --bad: #44201f; --bad-line: #8c3b37; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; }
a { color: var(--accent); }
input, select, textarea { color: inherit; background: var(--card); border: 1px solid var(--line); border-radius: .4rem; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .5rem 1rem; background: var(--card); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
.top h1 { font-size: 1.2rem; margin: 0; }
#me { margin-left: auto; }
#me[hidden] + #signout { margin-left: auto; }
#tabs { display: flex; gap: .25rem; flex-wrap: wrap; flex: 1; }
#tabs button { min-height: 44px; min-width: 44px; padding: .4rem .8rem; border: 1px solid var(--line); background: var(--card); color: var(--fg); border-radius: 999px; font-size: 1rem; }
#tabs button[aria-current="true"] { background: var(--accent); color: var(--on-accent); border-color: var(--accent); }
.me-form { flex: 1 1 100%; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; }
.me-form input { min-height: 44px; font-size: 1rem; padding: .4rem .6rem; flex: 1 1 12rem; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
button { font: inherit; cursor: pointer; color: var(--fg); }
.big, .bulk button, .actions button, .reply-actions button { min-height: 44px; min-width: 44px; padding: .5rem .9rem; border-radius: .4rem; border: 1px solid var(--line); background: var(--card); }
/* After the rule above and as specific as its selectors: a .big button in a reply form keeps its colours. */
.big, .reply-actions .big { background: var(--accent); color: var(--on-accent); border-color: var(--accent); font-size: 1.1rem; }
.danger { color: var(--danger); }
.danger-solid { min-height: 44px; padding: .5rem .9rem; border-radius: .4rem; border: 1px solid var(--danger); background: var(--danger); color: var(--card); font-weight: 600; }
.quiet { background: none; border: 1px solid var(--line); border-radius: .4rem; min-height: 44px; min-width: 44px; padding: .4rem .8rem; }
.signin { display: grid; gap: .6rem; max-width: 24rem; margin: 3rem auto; background: var(--card); padding: 1.5rem; border: 1px solid var(--line); border-radius: .6rem; }
.signin input { min-height: 44px; font-size: 1rem; padding: .4rem .6rem; }
.error { color: var(--danger); min-height: 1.2em; margin: .2rem 0; }
.toolbar, .bulk { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .5rem; }
#search { flex: 1 1 14rem; min-height: 44px; font-size: 1rem; padding: .4rem .6rem; }
#sort, #reason { min-height: 44px; font-size: 1rem; }
#article { flex: 1 1 10rem; min-height: 44px; font-size: 1rem; padding: .4rem .6rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.article-bar { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; background: var(--card); border: 1px solid var(--line); border-left: 6px solid var(--ok); border-radius: .6rem; padding: .6rem .8rem; margin-bottom: .6rem; }
.article-bar[data-closed="true"] { border-left-color: var(--danger); }
.article-bar h2 { font-size: 1rem; margin: 0; overflow-wrap: anywhere; }
.article-bar .key { font-family: ui-monospace, monospace; font-weight: normal; }
.article-bar .state { margin: 0; flex: 1 1 12rem; }
.article-bar[data-closed="true"] .state { color: var(--danger); font-weight: 600; }
.article-bar .big:disabled { opacity: .6; cursor: default; }
.article-page { flex: 1 1 100%; display: grid; gap: .3rem; }
.article-page input { min-height: 44px; font-size: 1rem; padding: .4rem .6rem; }
button.link { background: none; border: none; padding: 0 .2rem; color: var(--accent); text-decoration: underline; font-size: inherit; min-height: 24px; }
button.chip { cursor: pointer; color: inherit; font: inherit; font-size: .8rem; }
button.chip[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: var(--on-accent); }
.check { display: inline-flex; align-items: center; gap: .3rem; min-height: 44px; min-width: 44px; padding-right: .3rem; cursor: pointer; }
.check input, .pick input { width: 1.4rem; height: 1.4rem; margin: 0; cursor: pointer; }
/* The checkbox's label is its tap target: 44 x 44 around a box drawn at 22 px. */
.pick { display: flex; align-items: center; justify-content: center; width: 44px; height: 44px; margin: -2px 0 0 -2px; cursor: pointer; }
.list { list-style: none; padding: 0; margin: 0; display: grid; gap: .6rem; }
.item { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: .8rem; display: grid; grid-template-columns: auto 1fr; gap: .4rem .8rem; }
.item .side { grid-row: span 2; display: flex; flex-direction: column; align-items: center; gap: .3rem; }
.item.current { outline: 3px solid var(--accent); outline-offset: 1px; }
.item.selected { background: var(--raised); }
.item img { width: 40px; height: 40px; border-radius: 50%; }
.meta, .context { display: flex; flex-wrap: wrap; align-items: center; gap: .2rem .8rem; font-size: .9rem; color: var(--muted); overflow-wrap: anywhere; }
.meta .author { color: var(--fg); font-weight: 600; }
.context .article-title { font-weight: 600; }
.context .article { font-family: ui-monospace, monospace; font-size: .85rem; }
.context .history { color: var(--fg); }
.body { grid-column: 1 / -1; overflow-wrap: anywhere; }
.body p { margin: .3rem 0; }
.chips { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: .3rem; }
.chip { font-size: .8rem; padding: .1rem .5rem; border-radius: 999px; background: var(--warn); border: 1px solid var(--warn-line); display: inline-flex; align-items: center; min-height: 28px; }
/* A score is only a warning at or above the spam threshold; below it, a plain fact. */
.chip.score { background: var(--chip); border-color: var(--chip-line); }
.chip.score.high { background: var(--bad); border-color: var(--bad-line); }
.chip.status, .chip.mine { background: var(--chip); border-color: var(--chip-line); }
.actions { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: .4rem; }
.actions .apart { margin-left: auto; }
.reply { grid-column: 1 / -1; display: grid; gap: .3rem; border-top: 1px solid var(--line); padding-top: .6rem; }
.reply label { font-weight: 600; }
.reply textarea { font: inherit; padding: .5rem .6rem; min-height: 6rem; resize: vertical; width: 100%; }
.reply .note { margin: 0; font-size: .85rem; }
.reply-actions { display: flex; flex-wrap: wrap; gap: .5rem; }
.muted { color: var(--muted); }
.status { min-height: 1.4em; font-weight: 600; margin: .4rem 0; }
.bulk { background: var(--raised); border: 1px solid var(--line); border-radius: .6rem; padding: .4rem .6rem; }
.bulk-count { flex: 1 1 100%; font-size: .9rem; overflow-wrap: anywhere; }
.bulk [data-bulk="delete"] { margin-left: auto; }
.confirm { max-width: 34rem; width: calc(100% - 2rem); border: 1px solid var(--line); border-radius: .6rem; background: var(--card); color: var(--fg); padding: 1rem 1.2rem; }
.confirm::backdrop { background: rgb(0 0 0 / .45); }
.confirm h2 { margin: 0 0 .5rem; font-size: 1.15rem; color: var(--danger); }
.confirm ul { max-height: 40vh; overflow: auto; padding-left: 1.2rem; overflow-wrap: anywhere; }
.confirm-actions { display: flex; flex-wrap: wrap; gap: .6rem; justify-content: flex-end; }
.keys { font-size: .85rem; margin-top: 1rem; }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: .25rem; padding: 0 .3rem; background: var(--card); }
.webhooks { background: var(--card); border: 1px solid var(--line); border-left: 6px solid var(--danger); border-radius: .6rem; padding: 0 .8rem; margin-bottom: .6rem; }
.webhooks summary { min-height: 44px; padding: .6rem 0; cursor: pointer; color: var(--danger); }
.webhooks ol { margin: 0 0 .6rem; padding: 0; list-style: none; font-size: .9rem; overflow-wrap: anywhere; }
.webhooks li { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem .5rem; padding: .4rem 0; border-top: 1px solid var(--line); }
.webhooks li .what { flex: 1 1 16rem; }
.webhooks button { min-height: 44px; min-width: 44px; padding: .4rem .8rem; border-radius: .4rem; border: 1px solid var(--line); background: var(--card); }
.webhooks button:disabled { opacity: .6; cursor: default; }
.webhooks .tools { display: flex; justify-content: flex-end; margin: 0 0 .6rem; }
.link-page main { max-width: 30rem; text-align: center; padding-top: 3rem; }
@media (max-width: 600px) {
  main { padding: .5rem; }
  #tabs { order: 3; flex: 1 1 100%; }
  #tabs button { flex: 1 1 40%; padding: .4rem .5rem; }
  .keys { display: none; }
  .bulk { position: sticky; bottom: 0; z-index: 1; }
  .bulk button, .actions button { flex: 1 1 auto; }
  .actions .apart, .bulk [data-bulk="delete"] { flex: 1 1 100%; margin: .6rem 0 0; }
  button.chip, button.link { min-height: 44px; min-width: 44px; }
  /* Every link in a card is a 44 px target on a phone. */
  .meta a, .context a { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; }
  .article-bar button { flex: 1 1 auto; }
}
`
