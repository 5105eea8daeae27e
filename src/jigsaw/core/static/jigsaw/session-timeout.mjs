// GOV.UK's timeout warning: a modal dialog a couple of minutes before Jigsaw signs an idle
// person out. "Stay signed in" (or Escape) tells the server they are still here; doing nothing
// reloads the page when the time is up, and the server then shows the sign-in page saying why.
const dialog = document.getElementById("session-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Math.min(Number(dialog.dataset.warningSeconds) * 1000, idle);
  const form = dialog.querySelector("form");
  const countdown = dialog.querySelector(".jigsaw-timeout__countdown");
  const spoken = dialog.querySelector(".jigsaw-timeout__spoken");
  const live = dialog.querySelector(".jigsaw-timeout__live");
  let deadline = 0;
  let timers = [];
  let returnFocus = null;

  const inWords = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  const clear = () => {
    timers.forEach((timer) => clearTimeout(timer) || clearInterval(timer));
    timers = [];
  };

  const expire = () => {
    clear();
    window.location.assign(window.location.href);
  };

  const tick = () => {
    const left = deadline - Date.now();
    if (left <= 0) return expire();
    countdown.textContent = inWords(left);
    spoken.textContent = inWords(left);
    // Screen readers hear the time at each whole minute and at 30 and 10 seconds, not every second.
    const seconds = Math.ceil(left / 1000);
    if (seconds % 60 === 0 || seconds === 30 || seconds === 10) {
      live.textContent = `We will sign you out in ${inWords(left)}.`;
    }
  };

  const warn = () => {
    returnFocus = document.activeElement;
    dialog.showModal();
    dialog.querySelector("button").focus();
    tick();
    timers.push(setInterval(tick, 1000));
  };

  const start = () => {
    clear();
    deadline = Date.now() + idle;
    timers.push(setTimeout(warn, idle - warning));
  };

  const close = () => {
    if (dialog.open) dialog.close();
    live.textContent = "";
    if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
  };

  const stay = async () => {
    try {
      const response = await fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "X-Requested-With": "fetch" },
      });
      if (!response.ok) return expire();
    } catch {
      return expire();
    }
    close();
    start();
  };

  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.hasAttribute("formaction")) return; // Sign out: the form posts as usual
    event.preventDefault();
    stay();
  });
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault(); // Escape means "stay signed in", as on GOV.UK
    stay();
  });
  // Requests htmx makes reach the server, so they count as activity there too.
  document.body.addEventListener("htmx:afterRequest", () => { if (!dialog.open) start(); });
  start();
}
