// Parley's embed: <div id="comments" data-article="KEY"></div><script src="https://HOST/embed.js" async></script>
// On a page that lists articles, <a href="/post#comments" data-parley-count></a> shows each one's count.
import { fillCounts } from './counts.js'
import { mount } from './widget.js'

// The API lives where this script came from (or where the container's data-parley-url says).
const script = (document.currentScript ?? document.querySelector('script[src*="/embed.js"]')) as HTMLScriptElement | null
const origin = script?.src ? new URL(script.src, location.href).origin : location.origin

function start(): void {
  for (const container of Array.from(document.querySelectorAll<HTMLElement>('#comments, [data-parley]'))) {
    if (container.dataset.parleyMounted) continue
    container.dataset.parleyMounted = 'true'
    void mount(container, (container.dataset.parleyUrl || origin).replace(/\/+$/, ''))
  }
  void fillCounts(origin)
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
