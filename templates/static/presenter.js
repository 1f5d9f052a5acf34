/* Presenter view: current slide at its step, next step, notes, clock, timer, pacing; drives the
 * audience window (and follows it) through podium.Link. */
(() => {
  "use strict";
  const P = window.podium;
  const data = P.readData();
  const $ = (id) => document.getElementById(id);
  const help = $("podium-help");
  const currentFrame = $("podium-current");
  const nextFrame = $("podium-next");
  const notesBody = $("podium-notes");

  let state = P.parseHash(location.hash, data) || { slide: 1, step: 0 };
  let blackout = false;
  let changedAt = 0; /* when this window last changed position (the sync's "newest wins") */
  const fits = new Map();

  const template = (i) => document.getElementById("podium-slide-" + i);

  /* A live copy of slide i at a step, in a frame, shrunk to fit like the audience's. */
  function show(frame, i, step) {
    frame.textContent = "";
    const src = template(i);
    if (!src) return;
    const clone = P.cloneSlide(src, step);
    frame.append(clone);
    P.capImages(clone);
    if (fits.has(i)) clone.style.setProperty("--fit", fits.get(i));
    else if (frame.getBoundingClientRect().width) fits.set(i, String(P.fit(clone)));
  }

  function render() {
    show(currentFrame, state.slide, state.step);
    const next = P.nextState(state, data);
    $("podium-end").hidden = !!next;
    if (next) show(nextFrame, next.slide, next.step);
    else nextFrame.textContent = "";
    nextFrame.hidden = !next;
    const s = P.info(data, state.slide);
    $("podium-count").innerHTML = "";
    const b = document.createElement("b");
    b.textContent = String(state.slide);
    $("podium-count").append("Slide ", b, ` of ${data.count}`);
    $("podium-step").textContent = s.steps ? `step ${state.step + 1} of ${s.steps + 1}` : "";
    const notes = document.getElementById("podium-notes-" + state.slide);
    notesBody.textContent = "";
    if (notes && notes.content.textContent.trim()) notesBody.append(notes.content.cloneNode(true));
    else {
      const p = document.createElement("p");
      p.className = "p-none";
      p.textContent = "No notes for this slide.";
      notesBody.append(p);
    }
    notesBody.scrollTop = 0;
    $("podium-black").hidden = !blackout;
    $("podium-blackout").setAttribute("aria-pressed", String(blackout));
    document.title = `Presenter ${state.slide}/${data.count}: ${data.title}`;
    history.replaceState(null, "", P.formatHash(state));
    tick();
  }

  function go(target, { send = true } = {}) {
    const s = P.clamp(target, data);
    const changed = s.slide !== state.slide || s.step !== state.step;
    state = s;
    if (changed && !timer) startTimer();
    render();
    if (send && changed) {
      changedAt = Date.now();
      link.send();
    }
    fire();
  }
  function setBlackout(on, send = true) {
    on = !!on;
    if (on === blackout) return;
    blackout = on;
    render();
    if (send) {
      changedAt = Date.now();
      link.send();
    }
  }

  const link = new P.Link("presenter", {
    getState: () => ({ slide: state.slide, step: state.step, blackout, t: changedAt }),
    onState: (s) => {
      changedAt = +s.t || 0;
      blackout = !!s.blackout;
      go(s, { send: false });
    },
  });

  function openAudience() {
    const existing = link.peer("audience");
    if (existing) {
      existing.focus();
      return;
    }
    const win = window.open("index.html" + P.formatHash(state), "podium-audience:" + P.key, "popup,width=1280,height=720");
    if (win) link.addPeer(win, "audience");
    else P.toast("The browser blocked the audience window. Allow pop-ups for this page, or open index.html next to it.");
  }

  /* ---- timer: elapsed with pause/resume, kept across reloads; countdown and pacing ---------- */
  const timerKey = "timer:" + P.key;
  const now = () => Date.now();
  let timer = P.store.get(timerKey, null);
  /* A timer left from another day is not this talk's. */
  if (!timer || typeof timer.start !== "number" || now() - timer.start > 12 * 3600e3) timer = null;
  const saveTimer = () => P.store.set(timerKey, timer);
  function startTimer() {
    timer = { start: now(), paused: null, pausedTotal: 0 };
    saveTimer();
  }
  function toggleTimer() {
    if (!timer) startTimer();
    else if (timer.paused != null) {
      timer.pausedTotal += now() - timer.paused;
      timer.paused = null;
    } else timer.paused = now();
    saveTimer();
    tick();
  }
  let resetArmed = 0;
  function reset() {
    const button = $("podium-reset");
    if (!resetArmed) {
      button.classList.add("armed");
      button.textContent = "Reset to 0:00?";
      resetArmed = setTimeout(disarm, 4000);
      P.toast("Press Reset again (or r) to set the timer back to 0:00.", 4000);
      return;
    }
    disarm();
    timer = null;
    saveTimer();
    tick();
  }
  function disarm() {
    clearTimeout(resetArmed);
    resetArmed = 0;
    const button = $("podium-reset");
    button.classList.remove("armed");
    button.textContent = "Reset";
  }
  const elapsed = () => (timer ? Math.max(0, (timer.paused != null ? timer.paused : now()) - timer.start - timer.pausedTotal) : 0);
  const clock = (sec) => {
    sec = Math.floor(Math.abs(sec));
    const h = Math.floor(sec / 3600);
    const m = Math.floor((sec % 3600) / 60);
    const s = String(sec % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
  };

  function tick() {
    const d = new Date(now());
    $("podium-clock").textContent = d.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    const e = elapsed() / 1000;
    $("podium-elapsed").textContent = clock(e);
    const paused = !!timer && timer.paused != null;
    $("podium-elapsed").parentElement.classList.toggle("paused", paused);
    $("podium-pause").textContent = !timer ? "Start" : paused ? "Resume" : "Pause";
    const total = data.duration;
    if (!total) return;
    const left = total - e;
    $("podium-remaining").textContent = (left < 0 ? "+" : "") + clock(left);
    $("podium-remaining").parentElement.classList.toggle("over", left < 0);
    const n = data.count;
    const startPlan = (total * (state.slide - 1)) / n;
    const endPlan = (total * state.slide) / n;
    const slack = Math.min(60, total / n / 2);
    let status = "on-time";
    let text = "On time";
    if (!timer) {
      status = "idle";
      text = "Pacing starts with the timer";
    } else if (e > endPlan + slack) {
      status = e > endPlan + 3 * slack ? "late" : "behind";
      text = `Behind by ${clock(e - endPlan)}`;
    } else if (e < startPlan - slack) {
      status = "ahead";
      text = `Ahead by ${clock(startPlan - e)}`;
    }
    const pacing = $("podium-pacing");
    pacing.dataset.status = status;
    $("podium-pace-text").textContent = text;
    $("podium-pace-window").style.cssText = `left:${(100 * (state.slide - 1)) / n}%;width:${100 / n}%`;
    $("podium-pace-fill").style.width = Math.min(100, (100 * e) / total) + "%";
  }
  setInterval(tick, 250);

  /* ---- notes size, remembered --------------------------------------------------------------- */
  let notesSize = +P.store.get("notes-size", 28) || 28;
  function setNotesSize(px) {
    notesSize = Math.min(80, Math.max(16, px));
    document.body.style.setProperty("--notes-size", notesSize + "px");
    $("podium-font-size").textContent = notesSize + " px";
    P.store.set("notes-size", notesSize);
  }
  setNotesSize(notesSize);

  /* ---- keys and buttons --------------------------------------------------------------------- */
  /* Slide i's fit as the previews use it, measured off-screen at the preview's size when the
     slide was never shown: for its thumbnail in the overview. */
  const fitOf = (i) => {
    if (!fits.has(i) && template(i)) {
      const frame = document.createElement("div");
      frame.className = "frame";
      const width = currentFrame.getBoundingClientRect().width || 960;
      frame.style.cssText = `position:fixed;left:-100000px;top:0;visibility:hidden;width:${width}px`;
      const clone = P.cloneSlide(template(i), null);
      frame.append(clone);
      document.body.append(frame);
      P.capImages(clone);
      fits.set(i, String(P.fit(clone)));
      frame.remove();
    }
    return fits.get(i) || "1";
  };
  const overview = new P.Overview($("podium-overview"), data, template, (i) => {
    overview.hide();
    go({ slide: i, step: 0 });
  }, fitOf);
  const next = () => {
    const s = P.nextState(state, data);
    if (s) go(s);
  };
  const prev = () => {
    const s = P.prevState(state, data);
    if (s) go(s);
  };
  const actions = {
    next, prev,
    first: () => go({ slide: 1, step: 0 }),
    last: () => go({ slide: data.count, step: P.info(data, data.count).steps }),
    goto: (n) => go({ slide: n, step: 0 }),
    overview: () => (overview.open ? overview.hide() : overview.show(state.slide)),
    blackout: () => setBlackout(!blackout),
    fullscreen: () => P.toggleFullscreen(),
    help: () => (help.open ? help.close() : help.showModal()),
    audience: openAudience,
    bigger: () => setNotesSize(notesSize + 4),
    smaller: () => setNotesSize(notesSize - 4),
    timer: toggleTimer,
    reset,
    escape: () => {
      if (overview.open) overview.hide();
      else if (resetArmed) disarm();
      else return false;
    },
    digits: (d) => {
      const el = document.querySelector(".goto");
      el.hidden = !d;
      el.textContent = d ? "Go to " + d : "";
    },
  };
  P.renderHelp(help.querySelector("tbody"), actions, "presenter");
  document.addEventListener(
    "keydown",
    P.keys(actions, (e) => {
      if (help.open) return e.key !== "?";
      if (overview.open) return !["o", "O", "Escape"].includes(e.key);
      return false;
    }),
  );
  for (const button of document.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", () => {
      const a = actions[button.dataset.action];
      if (a) a();
    });
  }

  /* A typed or edited hash (presenter.html#6) goes there, as in the audience view. render()
     rewrites the hash with replaceState, which fires no hashchange. */
  window.addEventListener("hashchange", () => {
    const s = P.parseHash(location.hash, data);
    if (s) go(s);
  });

  const refit = () => {
    fits.clear();
    render();
  };
  if (document.fonts) document.fonts.ready.then(refit);
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(refit, 150);
  });

  /* ---- internal API (docs/views.md) ---------------------------------------------------------- */
  const listeners = new Set();
  function fire() {
    for (const fn of listeners) fn(P.state);
  }
  Object.defineProperty(P, "state", {
    get: () => ({ slide: state.slide, step: state.step, blackout }),
    configurable: true,
  });
  Object.assign(P, {
    view: "presenter",
    data,
    go: (slide, step = 0) => go({ slide, step }),
    next, prev,
    blackout: (on) => setBlackout(on),
    onChange: (fn) => listeners.add(fn),
    elapsed: () => elapsed(),
    replaceSlide(index, html, info = {}) {
      const t = template(index);
      if (!t) return false;
      const el = t.content.firstElementChild;
      el.innerHTML = html;
      if (info.layout) el.className = el.className.replace(/\blayout-[a-z-]+/, "layout-" + info.layout);
      if (info.steps !== undefined) data.slides[index - 1].steps = info.steps;
      if (info.title !== undefined) data.slides[index - 1].title = info.title;
      if (info.notesHtml !== undefined) {
        const n = document.getElementById("podium-notes-" + index);
        if (n) n.innerHTML = info.notesHtml;
      }
      fits.delete(index);
      overview.invalidate();
      state = P.clamp(state, data);
      render();
      return true;
    },
  });

  render();
  link.hello();
})();
