/* Audience view: one slide at a time, keys, hash history, overview, blackout, presenter link. */
(() => {
  "use strict";
  const P = window.podium;
  const data = P.readData();
  const deck = document.getElementById("podium-deck");
  const slides = Array.from(deck.querySelectorAll(":scope > .slide"));
  const $ = (sel) => document.querySelector(sel);
  const bar = $(".progress > span");
  const number = $(".slide-number");
  const announcer = $("#podium-announcer");
  const blackoutEl = $(".blackout");
  const gotoEl = $(".goto");
  const help = $("#podium-help");
  const stage = $(".stage");

  let state = P.parseHash(location.hash, data) || { slide: 1, step: 0 };
  let blackout = false;
  let changedAt = 0; /* when this window last changed position (the sync's "newest wins") */
  let current = null;

  const isDark = (el) =>
    el.matches(".layout-section, .layout-big, .dark") || !!el.querySelector("img.background");

  function render() {
    const el = slides[state.slide - 1];
    if (!el) return;
    if (current !== el) {
      if (current) current.classList.remove("current");
      el.classList.add("current");
      current = el;
      P.capImages(el);
    }
    P.applySteps(el, state.step);
    if (!el.dataset.fit) P.fit(el);
    schedulePrefit();
    const n = data.count;
    bar.style.width = n > 1 ? ((state.slide - 1) / (n - 1)) * 100 + "%" : "100%";
    number.textContent = state.slide + " / " + n;
    document.body.dataset.tone = isDark(el) ? "dark" : "light";
  }

  function announce() {
    const s = P.info(data, state.slide);
    let text = `Slide ${state.slide} of ${data.count}: ${s.title}`;
    if (s.steps) text += `, step ${state.step + 1} of ${s.steps + 1}`;
    announcer.textContent = text;
  }

  /* Go to a state. push: a new history entry when the slide changes (back walks the slides);
     send: tell the other windows (false when the change came from them). */
  function go(target, { push = true, send = true } = {}) {
    const s = P.clamp(target, data);
    const slideChanged = s.slide !== state.slide;
    const changed = slideChanged || s.step !== state.step;
    state = s;
    render();
    const hash = P.formatHash(s);
    if (location.hash !== hash) {
      if (slideChanged && push) history.pushState(null, "", hash);
      else history.replaceState(null, "", hash);
    }
    if (changed) {
      announce();
      if (send) {
        changedAt = Date.now();
        link.send();
      }
      fire();
    }
  }

  function setBlackout(on, send = true) {
    on = !!on;
    if (on === blackout) return;
    blackout = on;
    blackoutEl.hidden = !on;
    announcer.textContent = on ? "Screen blacked out" : `Slide ${state.slide} of ${data.count}`;
    if (send) {
      changedAt = Date.now();
      link.send();
    }
    fire();
  }

  const link = new P.Link("audience", {
    getState: () => ({ slide: state.slide, step: state.step, blackout, t: changedAt }),
    onState: (s) => {
      changedAt = +s.t || 0;
      go(s, { send: false });
      setBlackout(s.blackout, false);
    },
  });

  /* A slide's fit, measured on demand (hidden) when it was never shown: for its thumbnail. */
  const fitOf = (i) => {
    const s = slides[i - 1];
    if (!s.dataset.fit) {
      s.classList.add("measuring");
      P.capImages(s);
      P.fit(s);
      s.classList.remove("measuring");
    }
    return s.dataset.fit;
  };
  const overview = new P.Overview($("#podium-overview"), data, (i) => slides[i - 1], (i) => {
    closeOverview();
    go({ slide: i, step: 0 });
  }, fitOf);
  function openOverview() {
    stage.inert = true;
    overview.show(state.slide);
  }
  function closeOverview() {
    overview.hide();
    stage.inert = false;
    deck.focus({ preventScroll: true });
  }

  function openPresenter() {
    const existing = link.peer("presenter");
    if (existing) {
      existing.focus();
      return;
    }
    const win = window.open("presenter.html" + P.formatHash(state), "podium-presenter:" + P.key, "popup,width=1280,height=800");
    if (win) link.addPeer(win, "presenter");
    else P.toast("The browser blocked the presenter window. Allow pop-ups for this page, or open presenter.html next to it.");
  }

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
    overview: () => (overview.open ? closeOverview() : openOverview()),
    blackout: () => setBlackout(!blackout),
    fullscreen: () => P.toggleFullscreen(),
    help: () => (help.open ? help.close() : help.showModal()),
    presenter: openPresenter,
    escape: () => {
      if (overview.open) closeOverview();
      else if (blackout) setBlackout(false);
      else return false;
    },
    digits: (d) => {
      gotoEl.hidden = !d;
      gotoEl.textContent = d ? "Go to " + d : "";
    },
  };
  P.renderHelp(help.querySelector("tbody"), actions, "audience");
  const onKey = P.keys(actions, (e) => {
    if (help.open) return e.key !== "?";
    if (overview.open) return !["o", "O", "Escape"].includes(e.key);
    return false;
  });
  document.addEventListener("keydown", onKey);

  for (const button of document.querySelectorAll(".controls button")) {
    button.addEventListener("click", (e) => {
      e.stopPropagation();
      const a = actions[button.dataset.action];
      if (a) a();
    });
  }

  /* Click and swipe. */
  let touch = null;
  stage.addEventListener("pointerdown", (e) => {
    if (e.pointerType !== "mouse") touch = { x: e.clientX, y: e.clientY };
  });
  stage.addEventListener("pointerup", (e) => {
    if (!touch) return;
    const dx = e.clientX - touch.x;
    const dy = e.clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) {
      stage.dataset.swiped = "1";
      if (dx < 0) next();
      else prev();
    }
  });
  stage.addEventListener("click", (e) => {
    if (stage.dataset.swiped) {
      delete stage.dataset.swiped;
      return;
    }
    if (e.button !== 0 || e.target.closest("a, button, video, audio, input, select, textarea, summary, iframe")) return;
    if (String(window.getSelection())) return;
    next();
  });
  blackoutEl.addEventListener("click", () => setBlackout(false));

  /* Back/forward and typed hashes. */
  const fromUrl = () => {
    const s = P.parseHash(location.hash, data);
    if (s) go(s, { push: false });
  };
  window.addEventListener("popstate", fromUrl);
  window.addEventListener("hashchange", fromUrl);

  /* Controls and cursor: shown on mouse movement, hidden when idle. */
  let idleTimer = 0;
  document.addEventListener("mousemove", (e) => {
    if (!e.movementX && !e.movementY) return;
    document.body.classList.add("show-controls");
    document.body.classList.remove("idle");
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      document.body.classList.remove("show-controls");
      document.body.classList.add("idle");
    }, 2500);
  });

  /* Refit when fonts arrive, the window changes size, or an image loads. */
  const refit = () => {
    for (const s of slides) delete s.dataset.fit;
    if (current) P.fit(current);
  };
  if (document.fonts) document.fonts.ready.then(refit);
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(refit, 120);
  });
  /* Fitting a dense slide takes a few layouts: do it for the neighbours while the presenter
     talks, so the next key press only switches slides (a 1000-slide deck stays instant). */
  let prefitPending = false;
  function schedulePrefit() {
    if (prefitPending) return;
    prefitPending = true;
    const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 50));
    idle(() => {
      prefitPending = false;
      for (const s of [slides[state.slide], slides[state.slide - 2]]) {
        if (!s || s.dataset.fit) continue;
        s.classList.add("measuring");
        P.capImages(s);
        P.fit(s);
        s.classList.remove("measuring");
      }
    });
  }
  deck.addEventListener("load", (e) => {
    if (current && current.contains(e.target)) P.fit(current);
  }, true);
  /* Print shows every slide: fit them all first. */
  window.addEventListener("beforeprint", () => {
    for (const s of slides) {
      if (s.dataset.fit) continue;
      s.classList.add("current");
      P.applySteps(s, Infinity);
      P.fit(s);
      if (s !== current) s.classList.remove("current");
    }
    if (current) P.applySteps(current, state.step);
  });

  /* The internal API (docs/views.md): read and set the position, replace a slide in place. */
  const listeners = new Set();
  function fire() {
    for (const fn of listeners) fn(P.state);
  }
  Object.defineProperty(P, "state", {
    get: () => ({ slide: state.slide, step: state.step, blackout }),
    configurable: true,
  });
  Object.assign(P, {
    view: "audience",
    data,
    go: (slide, step = 0) => go({ slide, step }),
    next, prev,
    blackout: (on) => setBlackout(on),
    onChange: (fn) => listeners.add(fn),
    slideElement: (i) => slides[i - 1] || null,
    replaceSlide(index, html, info = {}) {
      const el = slides[index - 1];
      if (!el) return false;
      el.innerHTML = html;
      if (info.layout) el.className = el.className.replace(/\blayout-[a-z-]+/, "layout-" + info.layout);
      if (info.title !== undefined) data.slides[index - 1].title = info.title;
      if (info.steps !== undefined) {
        data.slides[index - 1].steps = info.steps;
        el.dataset.steps = String(info.steps);
      }
      delete el.dataset.fit;
      overview.invalidate();
      if (index === state.slide) {
        state = P.clamp(state, data);
        P.applySteps(el, state.step);
        P.capImages(el);
        P.fit(el);
      }
      return true;
    },
  });

  deck.tabIndex = -1;
  deck.classList.add("ready");
  go(state, { push: false, send: false });
  history.replaceState(null, "", P.formatHash(state));
  announcer.textContent = "";
  link.hello();
})();
