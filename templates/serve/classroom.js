/* Podium classroom client: added to pages by `podium serve --classroom` only, never by
 * `podium build`. Its events come through live.js's one stream (window.podium.onLiveEvent:
 * hello, position, poll, show).
 *
 * Students (data-role="student"): the audience view follows the presenter's slide and step;
 * a student who moves is "browsing" (a bar says so and offers "Back to live"), and the
 * presenter's moves no longer yank them. Polls: tap an option to vote (one vote per device,
 * changeable until the poll closes); results show when the presenter reveals them.
 *
 * The instructor (data-role="instructor", data-key: the secret, sent as a header with every
 * control): the presenter view sends each move to the server and follows moves made
 * elsewhere (the phone remote); a panel shows the join QR code, the remote's QR code and the
 * live counts of the slide's polls; `p` reveals (or hides) them on the audience screens, `q`
 * puts the join QR code full screen on the audience screen. On a narrow screen the presenter
 * view is a remote: big previous/next buttons, the notes and the timer.
 *
 * Everything shown from the server is text (textContent), never HTML.
 */
(() => {
  "use strict";
  const script = document.currentScript;
  const role = script.dataset.role === "instructor" ? "instructor" : "student";
  const deck = script.dataset.deck || "";
  const key = script.dataset.key || "";
  const P = window.podium || {};
  const view = P.view || "";
  const root = document.documentElement;
  root.dataset.podiumClassroom = role;
  const me = Math.random().toString(36).slice(2);
  const API = "/__podium/classroom/";

  const handlers = {};
  const on = (name, fn) => (handlers[name] = fn);
  function hear(name, text) {
    let data;
    try {
      data = JSON.parse(text);
    } catch (err) {
      return;
    }
    if (handlers[name] && data && typeof data === "object") handlers[name](data);
  }
  const post = (action, body, headers) =>
    fetch(API + action, {
      method: "POST",
      credentials: "same-origin",
      headers: Object.assign({ "Content-Type": "application/json" }, headers),
      body: JSON.stringify(body),
    });
  const control = (action, body) => post(action, body, { "X-Podium-Key": key });
  const el = (tag, cls, text) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const toast = (text) => P.toast && P.toast(text, 4000);

  /* ---- following the presenter ---------------------------------------------------------- */
  let live = null; // the presenter's position in this deck
  let browsing = false;
  let applying = false; // this script is moving the page: not the viewer's move
  const same = (a, b) => !!a && !!b && a.slide === b.slide && a.step === b.step;

  function apply(pos) {
    if (!P.go || !P.state) return;
    applying = true;
    try {
      if (!same(P.state, pos)) P.go(pos.slide, pos.step);
      if (role === "instructor" && P.blackout && typeof pos.blackout === "boolean" && P.state.blackout !== pos.blackout) {
        P.blackout(pos.blackout);
      }
    } finally {
      applying = false;
    }
  }

  let bar = null;
  function renderBar() {
    if (role !== "student" || view !== "audience") return;
    if (!bar) {
      bar = el("div", "cr-live");
      bar.id = "podium-live-bar";
      bar.setAttribute("role", "status");
      document.body.append(bar);
    }
    bar.textContent = "";
    root.dataset.podiumFollowing = browsing ? "browsing" : live ? "live" : "waiting";
    if (!live) {
      bar.append(el("span", "cr-dot cr-wait"), el("span", "", "Waiting for the presenter"));
    } else if (!browsing) {
      bar.append(el("span", "cr-dot"), el("span", "", "Live"));
    } else {
      const back = el("button", "cr-back", "Back to live (slide " + live.slide + ")");
      back.type = "button";
      back.addEventListener("click", (e) => {
        e.stopPropagation();
        browsing = false;
        apply(live);
        renderBar();
      });
      bar.append(el("span", "", "You are browsing"), back);
    }
  }

  function sendPosition() {
    const s = P.state;
    if (!s || !deck) return;
    control("position", { deck, slide: s.slide, step: s.step, blackout: !!s.blackout, from: me }).then((r) => {
      if (r.status === 403 || r.status === 429) toast("The server refused the presenter's key: open the presenter URL from the terminal again.");
    }, () => {});
  }

  function heard(pos) {
    if (!pos || pos.deck !== deck || typeof pos.slide !== "number") return;
    if (pos.from === me) return;
    live = { slide: pos.slide, step: pos.step | 0, blackout: pos.blackout };
    if (role === "student") {
      if (!browsing) apply(live);
      else if (same(P.state, live)) browsing = false; // the presenter came to where they are
      renderBar();
    } else apply(live);
  }

  if (P.onChange) {
    P.onChange(() => {
      if (applying) return;
      if (role === "student") {
        browsing = !!live && !same(P.state, live);
        renderBar();
      } else if (view === "presenter") sendPosition();
      renderPanel();
    });
  }
  on("position", heard);

  /* ---- polls ------------------------------------------------------------------------------ */
  const polls = new Map(); // "slide.n" -> the latest poll event
  const slideOf = (list) => {
    const slide = list.closest(".slide");
    const all = Array.from(document.querySelectorAll("#podium-deck > .slide"));
    return all.indexOf(slide) + 1;
  };
  const pollId = (list) => slideOf(list) + "." + list.dataset.poll;
  const pollLists = () => Array.from(document.querySelectorAll("#podium-deck [data-poll]"));

  function deviceId() {
    let id = P.store ? P.store.get("device", "") : "";
    const cookie = /(?:^|;\s*)podium_device=([A-Za-z0-9_-]{16,64})/.exec(document.cookie);
    if (!id && cookie) id = cookie[1];
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }
    if (P.store) P.store.set("device", id);
    document.cookie = "podium_device=" + id + "; path=/; max-age=31536000; SameSite=Strict";
    return id;
  }
  const chosenKey = (id) => "vote:" + location.pathname + ":" + id;

  function vote(list, option) {
    const id = pollId(list);
    const state = polls.get(id);
    if (state && !state.open) return toast("This poll is closed.");
    post("vote", { deck, id, option }, { "X-Podium-Device": deviceId() }).then((r) => {
      if (r.ok) {
        if (P.store) P.store.set(chosenKey(id), option);
        drawPoll(list);
      } else if (r.status === 409) toast("This poll is closed.");
      else toast("Your vote did not count: try again.");
    }, () => toast("No connection to the presenter: try again."));
  }

  function drawPoll(list) {
    const id = pollId(list);
    const state = polls.get(id) || { open: true, revealed: false };
    const chosen = P.store ? P.store.get(chosenKey(id), null) : null;
    const revealed = !!state.revealed && Array.isArray(state.counts);
    list.classList.toggle("poll-closed", !state.open);
    list.classList.toggle("poll-revealed", revealed);
    const total = revealed ? state.counts.reduce((a, b) => a + b, 0) : 0;
    for (const li of list.querySelectorAll(":scope > li[data-option]")) {
      const i = +li.dataset.option;
      li.classList.toggle("poll-chosen", chosen === i);
      li.classList.toggle("poll-right", revealed && state.answer === i);
      let count = li.querySelector(":scope > .poll-count");
      if (!revealed) {
        if (count) count.remove();
        li.style.removeProperty("--share");
        continue;
      }
      const n = state.counts[i] || 0;
      const share = total ? n / total : 0;
      li.style.setProperty("--share", String(share));
      if (!count) {
        count = el("span", "poll-count");
        li.append(count);
      }
      count.textContent = n + " · " + Math.round(share * 100) + "%";
    }
  }
  function drawPolls() {
    for (const list of pollLists()) drawPoll(list);
  }

  if (view === "audience") {
    for (const list of pollLists()) {
      list.classList.add("poll-live");
      for (const li of list.querySelectorAll(":scope > li[data-option]")) {
        li.setAttribute("role", "button");
        li.tabIndex = 0;
      }
      list.addEventListener("click", (e) => {
        const li = e.target.closest("li[data-option]");
        e.stopPropagation(); // a tap on a poll votes; it does not turn the slide
        if (li && list.contains(li) && !e.target.closest("a")) vote(list, +li.dataset.option);
      });
      list.addEventListener("keydown", (e) => {
        const li = e.target.closest("li[data-option]");
        if (li && (e.key === "Enter" || e.key === " ")) {
          e.preventDefault();
          e.stopPropagation();
          vote(list, +li.dataset.option);
        }
      });
      list.addEventListener("pointerup", (e) => e.stopPropagation());
    }
  }

  on("poll", (p) => {
    if (p.deck !== deck) return;
    polls.set(p.id, p);
    drawPolls();
    renderPanel();
  });

  /* ---- the join QR code, full screen on the audience screen ------------------------------- */
  let qrShown = false;
  function showQr(onScreen) {
    qrShown = onScreen;
    if (role !== "instructor" || view !== "audience") return;
    let overlay = document.getElementById("podium-join");
    if (!onScreen) {
      if (overlay) overlay.remove();
      return;
    }
    if (overlay) return;
    overlay = el("div", "cr-join");
    overlay.id = "podium-join";
    const img = el("img");
    img.src = API + "join.svg?deck=" + encodeURIComponent(deck);
    img.alt = "QR code of the class's address";
    overlay.append(el("p", "cr-join-title", "Follow along on your phone"), img, el("p", "cr-join-url", joinUrl()));
    document.body.append(overlay);
  }
  // The address students use (the server's, not necessarily the one this page was opened at).
  const joinUrl = () => script.dataset.join || location.origin + "/" + deck + "/";
  on("show", (s) => {
    showQr(!!s.qr);
    renderPanel();
  });

  /* ---- on (re)connecting: the whole state ------------------------------------------------ */
  on("hello", (h) => {
    const c = h.classroom;
    if (!c || typeof c !== "object") return;
    for (const p of c.polls || []) if (p.deck === deck) polls.set(p.id, p);
    drawPolls();
    showQr(!!c.qr);
    const pos = (c.positions || {})[deck];
    if (pos) heard(Object.assign({}, pos, { from: "" }));
    else if (role === "instructor" && view === "presenter") sendPosition();
    renderBar();
    renderPanel();
  });

  /* ---- the instructor's panel, keys and phone remote -------------------------------------- */
  let panel = null;
  let folded = !!(P.store && P.store.get("classroom-folded", false));
  function currentPolls() {
    const s = P.state;
    if (!s) return [];
    return Array.from(polls.values()).filter((p) => p.id.split(".")[0] === String(s.slide));
  }
  function renderPanel() {
    if (role !== "instructor" || view !== "presenter") return;
    if (!panel) {
      panel = el("aside", "cr-panel");
      panel.id = "podium-classroom";
      panel.setAttribute("aria-label", "Classroom");
      document.body.append(panel);
    }
    panel.textContent = "";
    const head = el("div", "cr-panel-head");
    head.append(el("h2", "p-label", "Classroom"));
    const fold = el("button", "", folded ? "Show" : "Hide");
    fold.type = "button";
    fold.setAttribute("aria-expanded", String(!folded));
    fold.addEventListener("click", () => {
      folded = !folded;
      if (P.store) P.store.set("classroom-folded", folded);
      renderPanel();
    });
    head.append(fold);
    panel.classList.toggle("cr-folded", folded);
    const qrButton = el("button", "", qrShown ? "Hide QR on screen (q)" : "QR on screen (q)");
    qrButton.type = "button";
    qrButton.setAttribute("aria-pressed", String(qrShown));
    qrButton.addEventListener("click", toggleQr);
    head.append(qrButton);
    panel.append(head);
    const codes = el("div", "cr-codes");
    const join = el("figure", "cr-code");
    const joinImg = el("img");
    joinImg.src = API + "join.svg?deck=" + encodeURIComponent(deck);
    joinImg.alt = "QR code for students: " + joinUrl();
    join.append(joinImg, el("figcaption", "", "Students: " + joinUrl()));
    const remote = el("figure", "cr-code");
    const remoteImg = el("img");
    remoteImg.src = API + "remote.svg?deck=" + encodeURIComponent(deck);
    remoteImg.alt = "QR code of this presenter view, for your phone (keep it to yourself)";
    remote.append(remoteImg, el("figcaption", "", "Your phone: remote (keep it private)"));
    codes.append(join, remote);
    panel.append(codes);
    for (const p of currentPolls()) {
      const box = el("section", "cr-poll");
      const total = (p.counts || []).reduce((a, b) => a + b, 0);
      box.append(el("h3", "", "Poll " + p.id + ": " + total + " vote" + (total === 1 ? "" : "s") + (p.open ? "" : " · closed")));
      const list = el("ol", "cr-counts");
      (p.options || []).forEach((text, i) => {
        const li = el("li", p.answer === i ? "cr-right" : "");
        const n = (p.counts || [])[i] || 0;
        li.style.setProperty("--share", String(total ? n / total : 0));
        li.append(el("span", "cr-option", text + (p.answer === i ? " \u2713" : "")), el("span", "cr-n", String(n)));
        list.append(li);
      });
      box.append(list);
      const reveal = el("button", "", p.revealed ? "Hide results (p)" : "Reveal results (p)");
      reveal.type = "button";
      reveal.addEventListener("click", () => togglePoll(p));
      box.append(reveal);
      if (!p.open) {
        const reopen = el("button", "", "Reopen");
        reopen.type = "button";
        reopen.addEventListener("click", () => control("poll", { deck, id: p.id, action: "reopen" }));
        box.append(reopen);
      }
      panel.append(box);
    }
  }
  function toggleQr() {
    control("show", { qr: !qrShown });
  }
  function togglePoll(p) {
    control("poll", { deck, id: p.id, action: p.revealed ? "hide" : "reveal" });
  }

  if (role === "instructor" && view === "presenter") {
    document.addEventListener("keydown", (e) => {
      if (!P.ignoresKey || P.ignoresKey(e)) return;
      const k = e.key.toLowerCase();
      if (k === "q") toggleQr();
      else if (k === "p") {
        const here = currentPolls();
        if (!here.length) return toast("No poll on this slide.");
        const revealing = !here.some((p) => p.revealed);
        for (const p of here) control("poll", { deck, id: p.id, action: revealing ? "reveal" : "hide" });
      } else return;
      e.preventDefault();
    });
    const rows = document.querySelector("#podium-help tbody");
    if (rows && P.helpRow) {
      rows.append(P.helpRow(["p"], "Reveal (or hide) the results of this slide's poll on every screen; closes the vote"));
      rows.append(P.helpRow(["q"], "Show (or hide) the join QR code full screen on the audience screen"));
    }
    // The phone remote: big buttons, shown on narrow screens only (classroom.css).
    const remote = el("nav", "cr-remote");
    remote.setAttribute("aria-label", "Remote");
    for (const [action, label] of [["prev", "\u2190 Back"], ["next", "Next \u2192"]]) {
      const b = el("button", "cr-" + action, label);
      b.type = "button";
      b.addEventListener("click", () => (action === "next" ? P.next() : P.prev()));
      remote.append(b);
    }
    document.body.append(remote);
    renderPanel();
  }
  renderBar();
  if (P.onLiveEvent) P.onLiveEvent(hear);
})();
