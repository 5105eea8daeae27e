// Loaded as a module from our own origin: the Content Security Policy forbids inline scripts,
// so the 'js-enabled' class GOV.UK Frontend expects is set here instead of inline.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
// Charts (div[data-vega-spec]) are drawn by charts.mjs, which loads Vega only when a page has one.
import "./charts.mjs";
// The warning before an idle sign-out (a dialog on signed-in pages only).
import "./session-timeout.mjs";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();
