/* Podium live reload: added to pages by `podium serve` only, never by `podium build`.
 *
 * Listens to the server's events (/__podium/events). On a good build it patches the changed
 * slides in place through the views' window.podium API where it can, and otherwise reloads
 * the page keeping the slide and step (#N.S). A failed build shows each error over the page
 * until the next good save; warnings show as a small badge. The key `j` toggles jumping to
 * the slide that was just edited (on by default).
 *
 * Nothing in an event is trusted as HTML except the slides' HTML, which the server rendered
 * and sanitised itself; diagnostics are text.
 */
(() => {
  "use strict";
  const script = document.currentScript;
  const instance = script.dataset.instance;
  let build = Number(script.dataset.build);
  const root = document.documentElement;

  // The site file this page is: "deck/index.html", "deck/presenter.html", "index.html", ...
  const pageKey = (() => {
    let path = location.pathname.replace(/^\/+/, "");
    try {
      path = decodeURIComponent(path);
    } catch (err) {
      /* keep it encoded */
    }
    return path === "" || path.endsWith("/") ? path + "index.html" : path;
  })();
  const slug = pageKey.includes("/") ? pageKey.slice(0, pageKey.indexOf("/")) : null;
  const api = () => window.podium || {};

  /* ---- jump to the edited slide: on by default, `j` toggles (remembered for this tab) --- */
  const FOLLOW = "podium:follow-edits";
  let follow = true;
  try {
    follow = sessionStorage.getItem(FOLLOW) !== "off";
  } catch (err) {
    /* storage off: default */
  }
  document.addEventListener("keydown", (e) => {
    if (e.key !== "j" || !api().ignoresKey || api().ignoresKey(e)) return;
    follow = !follow;
    try {
      sessionStorage.setItem(FOLLOW, follow ? "on" : "off");
    } catch (err) {
      /* not remembered */
    }
    root.dataset.podiumFollow = follow ? "on" : "off";
    const text = "Jump to the edited slide: " + (follow ? "on" : "off") + " (j)";
    if (api().toast) api().toast(text, 2500);
  });
  root.dataset.podiumFollow = follow ? "on" : "off";

  // The views' help lists their keys; `j` exists only while serving: add it there.
  const helpRows = document.querySelector("#podium-help tbody");
  if (helpRows && api().helpRow) {
    helpRows.append(api().helpRow(["j"], "Jump to the slide just edited, on or off (while podium serve runs)"));
  }

  /* ---- position: read from the views, kept across a reload by the URL hash ------------- */
  function currentHash() {
    const P = api();
    if (P.state && P.formatHash) return P.formatHash(P.state);
    return location.hash;
  }

  /* An update never moves a viewer who moved since the save (the keys, a click, the other
     window): the server says how long ago the deck was saved (`age`), and a move up to
     SLACK before it counts too, for the time the update took to arrive. */
  const SLACK = 300; // ms
  let movedAt = -Infinity; // performance.now() of the viewer's last move
  let moving = false; // live.js itself is moving the page
  let reloading = false; // a reload is on its way: moves until it lands must survive it
  const HANDOFF = "podium:live-position";
  let at = api().state ? api().state.slide + "." + api().state.step : "";
  if (api().onChange) {
    api().onChange((s) => {
      const now = s ? s.slide + "." + s.step : "";
      if (now === at) return; // told, not moved (a view may report an unchanged position)
      at = now;
      if (moving) return;
      movedAt = performance.now();
      if (reloading) handOff();
    });
  }
  const movedSinceSave = (deck) =>
    !!deck && movedAt >= performance.now() - (Number(deck.age) || 0) - SLACK;

  // The page reloads at the URL it had when the reload was asked for; keys pressed while it
  // loads reach this document still. The reloaded page takes the position from here.
  function handOff() {
    try {
      sessionStorage.setItem(HANDOFF, JSON.stringify({ page: pageKey, hash: currentHash(), at: Date.now() }));
    } catch (err) {
      /* storage off: the position at the reload's start is kept */
    }
  }
  function takeHandOff() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(HANDOFF) || "null");
      sessionStorage.removeItem(HANDOFF);
    } catch (err) {
      return;
    }
    const P = api();
    if (!saved || saved.page !== pageKey || !(Date.now() - saved.at < 60000)) return;
    if (!P.parseHash || !P.go || !P.state) return;
    const s = P.parseHash(String(saved.hash), P.data);
    if (s && (s.slide !== P.state.slide || s.step !== P.state.step)) P.go(s.slide, s.step);
  }
  takeHandOff();

  function reload(jumpTo) {
    const P = api();
    const there = P.state && P.state.slide === jumpTo;
    const hash = jumpTo && !there ? "#" + jumpTo : currentHash();
    if (hash) history.replaceState(history.state, "", hash);
    reloading = true;
    location.reload();
  }
  function jump(index) {
    const P = api();
    if (!index || !P.go) return;
    if (P.state && P.state.slide === index) return; // already there: keep the step
    moving = true;
    try {
      P.go(index, 0);
    } finally {
      moving = false;
    }
  }

  /* ---- diagnostics: the error overlay and the warnings badge ---------------------------- */
  // Both exist only while serving, so they live here, styled inline (CSSOM, which the pages'
  // Content-Security-Policy allows), not in every built page's CSS and JS.
  let gone = false; // this page's deck file is gone: say so until it comes back
  const GONE = {
    severity: "error",
    text: "This deck's file is gone; the page comes back when the file does.",
  };
  function showErrors(errors) {
    if (gone) errors = [GONE, ...errors];
    let overlay = document.getElementById("podium-error");
    if (!errors.length) {
      if (overlay) overlay.remove();
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "podium-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:auto 16px 16px 16px;z-index:100;max-height:60vh;overflow:auto;padding:16px 20px;" +
        "border-radius:12px;background:#2a0f12;color:#ffe4e1;font:15px/1.45 ui-monospace,monospace;white-space:pre-wrap;" +
        "box-shadow:0 10px 40px rgb(0 0 0 / .5)";
      document.body.append(overlay);
    }
    const lines = errors.map((d) => d.text + (d.hint ? "\n    hint: " + d.hint : ""));
    // Text, never HTML: a diagnostic quotes the deck.
    overlay.textContent =
      "The last save does not build; still showing the previous build.\n\n" + lines.join("\n");
  }

  let dismissed = "";
  function showWarnings(warnings) {
    let badge = document.getElementById("podium-warnings");
    const key = warnings.map((d) => d.text).join("\n");
    if (!warnings.length || key === dismissed) {
      if (badge) badge.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement("div");
      badge.id = "podium-warnings";
      badge.style.cssText =
        "position:fixed;right:12px;top:12px;z-index:2147483646;max-width:min(60ch,80vw);" +
        "font:13px/1.4 ui-monospace,monospace;color:#2b2100;background:#ffd866;border-radius:8px;" +
        "box-shadow:0 4px 16px rgb(0 0 0 / .3)";
      document.body.append(badge);
    }
    badge.textContent = "";
    const head = document.createElement("div");
    head.style.cssText = "display:flex;gap:8px;align-items:center;padding:4px 8px";
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.textContent = "\u26a0 " + warnings.length + " warning" + (warnings.length === 1 ? "" : "s");
    toggle.style.cssText = "all:unset;cursor:pointer";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Dismiss the warnings");
    close.style.cssText = "all:unset;cursor:pointer;padding:0 4px";
    const list = document.createElement("pre");
    list.hidden = true;
    list.style.cssText = "margin:0;padding:4px 8px 8px;white-space:pre-wrap;max-height:40vh;overflow:auto";
    list.textContent = warnings.map((d) => d.text).join("\n");
    toggle.addEventListener("click", () => (list.hidden = !list.hidden));
    close.addEventListener("click", () => {
      dismissed = key;
      badge.remove();
    });
    head.append(toggle, close);
    badge.append(head, list);
  }

  let buildWarnings = [];
  let layoutWarnings = null; // slide-overflow, from this page's own fit report, once measured
  // Once the page has measured its slides, the build's text-length estimates of the same
  // thing (slide-dense) give way to what was measured.
  const allWarnings = () =>
    layoutWarnings === null
      ? buildWarnings
      : buildWarnings.filter((d) => !/ warning\[slide-dense\]: /.test(d.text)).concat(layoutWarnings);
  function showDiagnostics(diagnostics) {
    showErrors(diagnostics.filter((d) => d.severity === "error"));
    buildWarnings = diagnostics.filter((d) => d.severity === "warning");
    showWarnings(allWarnings());
  }

  /* ---- fit report: the audience page measures every slide and tells the server --------- */
  // The server prints a warning for a slide that scrolls or wraps code (slide-overflow),
  // once per change, and answers with the deck's layout warnings for the badge.
  let reportTimer = 0;
  const worthSaying = (f) => f.needed < f.floor || f.code.some((c) => c.wraps);
  // The measuring code is not in built pages: it comes from the server, on first use.
  let reporter = null;
  const loadReporter = () =>
    (reporter = reporter || new Promise((done, fail) => {
      const tag = document.createElement("script");
      tag.src = "/__podium/fit-report.js";
      tag.onload = done;
      tag.onerror = fail;
      document.head.append(tag);
    }));
  function reportFit() {
    const P = api();
    if (P.view !== "audience" || !P.fit || !slug || script.dataset.fit === "off") return;
    clearTimeout(reportTimer);
    reportTimer = setTimeout(() => {
      const measured = build;
      const ready = document.fonts ? document.fonts.ready : Promise.resolve();
      Promise.all([ready, loadReporter()])
        .then(() => P.fitReport())
        .then((slides) => {
          if (measured !== build) return null; // a newer build came: its report follows
          return fetch("/__podium/fit", {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-Podium-Fit": "1" },
            // Only the slides with something to say: a big deck's report stays small.
            body: JSON.stringify({ page: pageKey, build: measured, slides: slides.filter(worthSaying) }),
          });
        })
        .then((response) => (response && response.ok ? response.json() : null))
        .then((answer) => {
          if (!answer || measured !== build) return;
          layoutWarnings = Array.isArray(answer.diagnostics) ? answer.diagnostics : [];
          showWarnings(allWarnings());
          root.dataset.podiumFit = String(measured);
        })
        .catch(() => {
          /* the server went away: the next hello reports again */
        });
    }, 200);
  }

  /* ---- applying a build ------------------------------------------------------------------ */
  function refreshImages(names, stamp) {
    const urls = new Set(names.map((name) => new URL("/" + name, location.href).href));
    for (const img of document.querySelectorAll("img[src]")) {
      const bare = img.src.replace(/[?#].*$/, "");
      if (urls.has(bare)) img.src = bare + "?v=" + stamp;
    }
  }

  function patch(slides) {
    const P = api();
    if (!P.replaceSlide) return false;
    for (const s of slides) {
      if (P.replaceSlide(s.index, s.html, s) === false) return false;
      // A new title makes a new id (the slide's anchor); replaceSlide keeps the element.
      const el = P.slideElement ? P.slideElement(s.index) : null;
      if (el && el.id && s.id && el.id !== s.id) el.id = s.id;
    }
    return true;
  }

  function onUpdate(d) {
    if (d.ok) showDiagnostics(d.diagnostics);
    else showErrors(d.diagnostics.filter((x) => x.severity === "error"));
    if (!d.ok || d.build === build) return;
    if (d.build !== build + 1) return reload(); // missed a build: start again from the server
    build = d.build;
    if (d.assets.length) refreshImages(d.assets, build);
    const deck = slug && d.decks[slug];
    const target = follow && deck && !movedSinceSave(deck) ? deck.edited : null;
    if (d.removed.includes(pageKey)) {
      gone = true;
      return showDiagnostics(d.diagnostics);
    }
    if (gone && d.changed.includes(pageKey)) return reload();
    if (d.changed.includes(pageKey)) {
      if (!(deck && deck.slides && patch(deck.slides))) return reload(target);
    }
    root.dataset.podiumBuild = String(build); // this document now shows that build
    jump(target);
    reportFit();
  }

  function onHello(d) {
    // Another server, or builds this page has not seen: the page is stale.
    if (d.instance !== instance || d.build !== build) return reload();
    root.dataset.podiumLive = "connected";
    root.dataset.podiumBuild = String(build);
    if (d.ok) showDiagnostics(d.diagnostics);
    else showErrors(d.diagnostics.filter((x) => x.severity === "error"));
    reportFit();
  }

  const parse = (handler) => (e) => {
    let data;
    try {
      data = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    handler(data);
  };
  /* `podium serve --classroom` names its own events (data-events): this one stream passes
     them on, with the hello, to the client that asks (window.podium.onLiveEvent); what comes
     before it asks (its script may load after the stream opened) waits for it. */
  const passOn = (script.dataset.events || "").split(" ").filter(Boolean);
  let consumer = null;
  const backlog = [];
  const pass = (name) => (e) => (consumer ? consumer(name, e.data) : backlog.push([name, e.data]));
  if (passOn.length) {
    (window.podium = window.podium || {}).onLiveEvent = (fn) => {
      consumer = fn;
      for (const [name, data] of backlog.splice(0)) fn(name, data);
    };
  }

  let events = null;
  function connect() {
    if (events) return;
    events = new EventSource("/__podium/events");
    events.addEventListener("hello", parse(onHello));
    if (passOn.length) events.addEventListener("hello", pass("hello"));
    for (const name of passOn) events.addEventListener(name, pass(name));
    events.addEventListener("update", parse(onUpdate));
    // Too many pages open on this server: say so; the browser asks again after a while.
    events.addEventListener("refused", parse((d) => {
      root.dataset.podiumLive = "refused";
      if (api().toast) api().toast(String(d.message || "podium serve is busy"), 8000);
    }));
    events.addEventListener("error", () => {
      // the browser retries by itself; a refusal stays shown until a hello
      if (root.dataset.podiumLive !== "refused") root.dataset.podiumLive = "disconnected";
    });
  }
  function disconnect() {
    if (!events) return;
    events.close();
    events = null;
    root.dataset.podiumLive = "paused";
  }
  /* A browser keeps about six connections to one server, and every open page holds one for
     its events: a tab left in the background gives its own back. Back in front, it connects
     again, and the server's hello says whether it missed a build (then it reloads). */
  let hiddenTimer = 0;
  document.addEventListener("visibilitychange", () => {
    clearTimeout(hiddenTimer);
    if (document.hidden) hiddenTimer = setTimeout(disconnect, 10000);
    else connect();
  });
  connect();
})();
