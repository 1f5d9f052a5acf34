/* Presenter view: current slide at its step, next step, notes, clock, timer, pacing. The
 * position, keys, overview, black screen and the audience link are the shared controller's
 * (podium.js, P.control); this file draws the previews and notes and keeps the time. */
(() => {
  "use strict";
  const P = window.podium;
  const $ = (id) => document.getElementById(id);
  const currentFrame = $("podium-current");
  const nextFrame = $("podium-next");
  const notesBody = $("podium-notes");
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

  function render(state, blackout) {
    const data = ctl.data;
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
    $("podium-step").textContent = s.steps ? P.stepLabel(state.step, s.steps) : "";
    showNotes(state);
    $("podium-black").hidden = !blackout;
    $("podium-blackout").setAttribute("aria-pressed", String(blackout));
    document.title = `Presenter ${state.slide}/${data.count}: ${data.title}`;
    tick();
  }

  /* ---- notes: all of the slide's, the current step's part highlighted --------------------- */
  let notesShown = 0;
  function showNotes(state) {
    if (notesShown !== state.slide) {
      notesShown = state.slide;
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
    }
    highlightNotes(state.step);
  }

  /* Each note says its step (data-note-step): the part that goes with the step shown is the
     notes of the latest step at or before it that has notes. Highlighted only when the
     slide's notes belong to more than one step; scrolled into view inside the notes. */
  function highlightNotes(step) {
    const parts = Array.from(notesBody.querySelectorAll(":scope > .note"));
    const stepsOf = parts.map((el) => +el.dataset.noteStep || 0);
    const stepped = new Set(stepsOf).size > 1;
    const at = Math.max(-1, ...stepsOf.filter((s) => s <= step));
    let first = null;
    parts.forEach((el, i) => {
      const current = stepped && stepsOf[i] === at;
      el.classList.toggle("current", current);
      el.classList.toggle("later", stepped && stepsOf[i] > step);
      if (current && !first) first = el;
    });
    notesBody.classList.toggle("stepped", stepped);
    if (first) {
      const top = first.offsetTop; /* the notes body is their offsetParent (presenter.css) */
      const bottom = top + first.offsetHeight;
      if (top < notesBody.scrollTop || bottom > notesBody.scrollTop + notesBody.clientHeight) {
        notesBody.scrollTop = Math.max(0, top - 12);
      }
    }
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
    const total = ctl.data.duration;
    if (!total) return;
    const left = total - e;
    $("podium-remaining").textContent = (left < 0 ? "+" : "") + clock(left);
    $("podium-remaining").parentElement.classList.toggle("over", left < 0);
    const n = ctl.data.count;
    const slide = ctl.state.slide;
    const startPlan = (total * (slide - 1)) / n;
    const endPlan = (total * slide) / n;
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
    $("podium-pace-window").style.cssText = `left:${(100 * (slide - 1)) / n}%;width:${100 / n}%`;
    $("podium-pace-fill").style.width = Math.min(100, (100 * e) / total) + "%";
  }

  /* ---- notes size, remembered --------------------------------------------------------------- */
  let notesSize = +P.store.get("notes-size", 28) || 28;
  function setNotesSize(px) {
    notesSize = Math.min(80, Math.max(16, px));
    document.body.style.setProperty("--notes-size", notesSize + "px");
    $("podium-font-size").textContent = notesSize + " px";
    P.store.set("notes-size", notesSize);
  }
  setNotesSize(notesSize);

  const ctl = P.control({
    role: "presenter",
    peer: { role: "audience", page: "index.html", height: 720 },
    pushHistory: false,
    source: template,
    render,
    /* Slide i's fit as the previews use it, measured off-screen at the preview's size when
       the slide was never shown: for its thumbnail in the overview. */
    fitOf: (i) => {
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
    },
    /* The timer starts with the talk: at the first move. */
    moved: () => {
      if (!timer) startTimer();
    },
    buttons: document,
    actions: {
      bigger: () => setNotesSize(notesSize + 4),
      smaller: () => setNotesSize(notesSize - 4),
      timer: toggleTimer,
      reset,
    },
    escape: () => (resetArmed ? disarm() : false),
    replaced(index, info) {
      if (info.notesHtml !== undefined) {
        const n = document.getElementById("podium-notes-" + index);
        if (n) n.innerHTML = info.notesHtml;
        if (index === notesShown) notesShown = 0;
      }
      fits.delete(index);
      ctl.render();
    },
    api: { elapsed: () => elapsed() },
  });

  setInterval(tick, 250);
  P.onLayoutChange(() => {
    fits.clear();
    ctl.render();
  });
  ctl.start();
})();
