// Draws every chart on the page: each div[data-vega-spec] names the <script type="application/json">
// holding its Vega-Lite spec (written by the {% chart %} tag). Vega is loaded only on pages that
// have a chart. The Content Security Policy forbids eval, so Vega runs its expressions through
// the interpreter (ast: true) rather than compiling them to functions, and vega-embed is told not
// to inject its default <style> element (style-src is 'self' only).
const VEGA_SCRIPTS = [
  "/static/vega/vega.min.js",
  "/static/vega-lite/vega-lite.min.js",
  "/static/vega-embed/vega-embed.min.js",
];

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`Could not load ${src}`));
    document.head.appendChild(script);
  });
}

export async function drawCharts(root = document) {
  const targets = [...root.querySelectorAll("div[data-vega-spec]")].filter((div) => !div.dataset.vegaDrawn);
  if (!targets.length) return;
  for (const src of VEGA_SCRIPTS) {
    if (!document.querySelector(`script[src="${src}"]`)) await loadScript(src);
  }
  const { expressionInterpreter } = await import("./vega-interpreter.mjs");
  for (const div of targets) {
    const source = document.getElementById(div.dataset.vegaSpec);
    if (!source) continue;
    div.dataset.vegaDrawn = "true";
    try {
      await window.vegaEmbed(div, JSON.parse(source.textContent), {
        ast: true,
        expr: expressionInterpreter,
        actions: false,
        defaultStyle: false,
        renderer: "svg",
        tooltip: false,
      });
    } catch (error) {
      // The summary and the table beside the chart still carry every figure.
      console.warn("Chart not drawn:", error);
      div.hidden = true;
    }
  }
}

drawCharts();
// htmx swaps in new content without a page load: draw any chart it brought.
document.body.addEventListener("htmx:afterSettle", (event) => drawCharts(event.target));
