// Scoped under .parley: nothing here reaches the host page. Text follows the page's font and color;
// the rest is themable through the --parley-* custom properties (light, dark, or the system's choice).
const dark = '--parley-accent:#8ab4ff;--parley-error:#ff8f85;color-scheme:dark'

export const css = `
.parley{--parley-accent:#1d5fd0;--parley-error:#b3261e;--parley-muted:color-mix(in srgb,currentColor 65%,transparent);--parley-border:color-mix(in srgb,currentColor 22%,transparent);--parley-field-bg:transparent;--parley-notice-bg:color-mix(in srgb,var(--parley-accent) 10%,transparent);--parley-radius:6px;--parley-avatar:40px;--parley-indent:calc(var(--parley-avatar) + .75em);font:inherit;color:inherit;line-height:1.55;margin:2em 0}
@media (prefers-color-scheme:dark){.parley:not([data-theme=light]){${dark}}}
.parley[data-theme=dark]{${dark}}
.parley *{box-sizing:border-box}
.parley [hidden]{display:none!important}
.parley h2,.parley h3{font:inherit;font-weight:700;font-size:1.25em;margin:1.2em 0 .6em;display:flex;flex-wrap:wrap;gap:.25em 1em;align-items:baseline}
.parley a{color:var(--parley-accent)}
.parley ol{list-style:none;margin:0;padding:0}
.parley{container-type:inline-size}
.parley-children{margin-inline-start:var(--parley-indent)!important}
.parley-children .parley-children{margin-inline-start:calc(var(--parley-indent)/2)!important}
.parley-children .parley-children .parley-children{margin-inline-start:calc(var(--parley-indent)/4)!important}
@container (max-width:600px){.parley-list,.parley-respond{--parley-avatar:32px;--parley-indent:1.5em}}
.parley-comment>article{display:grid;grid-template-columns:var(--parley-avatar) 1fr;gap:0 .75em;padding:1em 0;border-top:1px solid var(--parley-border)}
.parley-comment>article>*{grid-column:2}
.parley-avatar{grid-column:1!important;grid-row:1/span 3;width:var(--parley-avatar);height:var(--parley-avatar);border-radius:50%}
.parley-meta{display:flex;flex-wrap:wrap;gap:0 .75em;align-items:baseline}
.parley-author{font-weight:700}
.parley-badge{font-size:.75em;font-weight:600;line-height:1.4;padding:0 .5em;border-radius:999px;border:1px solid var(--parley-accent);color:var(--parley-accent);background:var(--parley-notice-bg)}
.parley-meta a.parley-date,.parley-date{color:var(--parley-muted);font-size:.875em;text-decoration:none}
.parley-meta a,.parley-reply,.parley-respond small a{display:inline-flex;align-items:center;min-height:44px;min-width:44px}
.parley-meta a{margin-block:calc((1.55em - 44px)/2)}
.parley-body p{margin:.4em 0}
.parley-body{overflow-wrap:anywhere}
.parley-moderation{display:block;font-style:italic;background:var(--parley-notice-bg);padding:.3em .6em;border-radius:var(--parley-radius);margin:.3em 0}
.parley-target>article{background:var(--parley-notice-bg)}
.parley-reply{font-size:.875em}
.parley-more,.parley-submit{font:inherit;cursor:pointer;border-radius:var(--parley-radius);padding:.55em 1.2em;border:1px solid var(--parley-accent)}
.parley-more{background:none;color:var(--parley-accent);margin:1em 0}
.parley-submit{background:var(--parley-accent);color:#fff;font-weight:700}
.parley[data-theme=dark] .parley-submit{color:#111}
@media (prefers-color-scheme:dark){.parley:not([data-theme=light]) .parley-submit{color:#111}}
.parley-submit[disabled]{opacity:.6;cursor:progress}
.parley form p{margin:0 0 1em}
.parley label{display:block;font-weight:600;margin-bottom:.25em}
.parley-req{color:var(--parley-error)}
.parley input,.parley textarea{min-height:44px;font:inherit;color:inherit;background:var(--parley-field-bg);width:100%;max-width:36em;padding:.5em .6em;border:1px solid var(--parley-border);border-radius:var(--parley-radius)}
.parley textarea{max-width:none;min-height:8em;resize:vertical}
.parley input:focus-visible,.parley textarea:focus-visible,.parley button:focus-visible,.parley a:focus-visible{outline:2px solid var(--parley-accent);outline-offset:2px}
.parley [aria-invalid=true]{border-color:var(--parley-error)}
.parley-field-error,.parley-alert{color:var(--parley-error)}
.parley-field-error{display:block;font-size:.875em;margin-top:.25em}
.parley-alert:not(:empty),.parley-status:not(:empty){margin:0 0 1em;font-weight:600}
.parley-hp{position:fixed!important;left:-10000px;top:0;width:1px;height:1px;overflow:hidden}
.parley[data-closed] .parley-reply{display:none}
.parley-closed{font-weight:600;margin:1.5em 0}
.parley small{font-size:.75em;font-weight:400}
`
