/* Podium core, shared by every view: deck data, slide/step state and the URL hash, incremental
 * reveal, shrink-to-fit, slide previews, the overview grid, keyboard handling, the window
 * link that keeps the audience and presenter windows in sync, and the controller that ties
 * these together for both of those views (P.control). Plain JS, no dependencies.
 *
 * window.podium is the small internal API the views (and a live-reload client) use; it is
 * described in docs/views.md.
 */
(() => {
  "use strict";
  const P = (window.podium = window.podium || {});
  P.version = 1;

  P.readData = () => {
    const el = document.getElementById("podium-data");
    return el ? JSON.parse(el.textContent) : { count: 0, slides: [] };
  };

  /* The deck's identity for syncing: the folder the page is in; for self-contained files
     (podium build --self-contained: data.pages names the views' files, side by side in one
     folder with other decks'), that folder and the deck's slug. */
  P.key = location.href.replace(/[#?].*$/, "").replace(/[^/]*$/, "");
  P.pages = P.readData().pages || null;
  if (P.pages) P.key += "#" + P.readData().slug;

  /* ---- state: {slide (1-based), step (0-based)} and the URL hash #N or #N.S ---------------- */
  P.clamp = (s, data) => {
    const n = data.count;
    if (!n) return { slide: 1, step: 0 };
    const slide = Math.min(Math.max(1, Math.floor(+s.slide) || 1), n);
    const steps = data.slides[slide - 1].steps || 0;
    return { slide, step: Math.min(Math.max(0, Math.floor(+s.step) || 0), steps) };
  };
  /* #N, #N.S, or a slide's id (an in-deck link such as [back](#what-is-keras)). */
  P.parseHash = (hash, data) => {
    const m = /^#(\d+)(?:\.(\d+))?$/.exec(hash || "");
    if (m) return P.clamp({ slide: +m[1], step: m[2] ? +m[2] : 0 }, data);
    let id = "";
    try {
      id = decodeURIComponent((hash || "").slice(1));
    } catch (err) {
      return null;
    }
    const i = id ? data.slides.findIndex((s) => s.id === id) : -1;
    return i < 0 ? null : { slide: i + 1, step: 0 };
  };
  /* Counts what the audience sees: "step 1 of 4" once one of four steps shows (as #N.S). */
  P.stepLabel = (step, steps) => `step ${step} of ${steps}`;
  P.formatHash = (s) => "#" + s.slide + (s.step ? "." + s.step : "");
  /* A slide's facts; an empty deck (or a slide number past its end) has none. */
  P.info = (data, n) => data.slides[n - 1] || { title: "", steps: 0 };
  P.nextState = (s, data) => {
    const steps = P.info(data, s.slide).steps || 0;
    if (s.step < steps) return { slide: s.slide, step: s.step + 1 };
    if (s.slide < data.count) return { slide: s.slide + 1, step: 0 };
    return null;
  };
  P.prevState = (s, data) => {
    if (s.step > 0) return { slide: s.slide, step: s.step - 1 };
    if (s.slide > 1) return { slide: s.slide - 1, step: P.info(data, s.slide - 1).steps || 0 };
    return null;
  };

  /* Show the elements of steps 1..step of a slide; later ones keep their room but are hidden. */
  P.applySteps = (slide, step) => {
    for (const el of slide.querySelectorAll("[data-step]")) {
      el.classList.toggle("step-hidden", +el.dataset.step > step);
    }
    P.applyEmphasis(slide, step);
    P.applyCodeSteps(slide, step);
  };

  /* {.fragment .highlight}: shown all along, emphasised from its step on. */
  P.applyEmphasis = (slide, step) => {
    for (const el of slide.querySelectorAll("[data-emphasis]")) el.classList.toggle("emphasised", +el.dataset.emphasis <= step);
  };

  /* Code walkthroughs: data-hl holds the ranges ("1-2|4|all"), data-hl-steps the step each
     range after the first begins at; the lines out of the step's range are dimmed. The final
     state (Infinity) is the HTML's: every line a range names marked (hl-mark). */
  P.applyCodeSteps = (slide, step) => {
    for (const pre of slide.querySelectorAll("pre[data-hl-steps]")) {
      const walking = step !== Infinity;
      pre.classList.toggle("walking", walking);
      const part = pre.dataset.hlSteps.split(" ").filter((s) => s && +s <= step).length;
      const range = pre.dataset.hl.split("|")[part] || "all";
      const spans = range === "all" ? [] : range.split(",").map((r) => r.split("-").map(Number));
      pre.querySelectorAll(":scope > code > .line").forEach((line, i) => {
        const on = spans.some(([a, b = a]) => i + 1 >= a && i + 1 <= b);
        line.classList.toggle("hl-on", walking && on);
        line.classList.toggle("hl-dim", walking && spans.length > 0 && !on);
      });
    }
  };

  /* ---- fit: wide code shrinks alone, then the slide's type scale (--fit) until nothing spills --
   * Code too wide for the slide shrinks only its own block (--code-fit), down to CODE_FLOOR;
   * past it the code wraps, with a marker on every continued row. Then, if the slide still
   * spills, its whole type scale shrinks, down to FIT_FLOOR (body text 44 px at 1080p times
   * the floor: about 26 px); past it the slide scrolls (.overfull), and the dev server and
   * `podium check --layout` say so (templates/serve/fit-report.js; docs/views.md, "Fit"). */
  P.FIT_FLOOR = 0.6;
  P.CODE_FLOOR = 0.6;
  const spills = (el) => el.scrollWidth > el.clientWidth + 1;
  const overflows = (slide) => {
    const r = slide.getBoundingClientRect();
    if (!r.width || !r.height) return false;
    const cs = getComputedStyle(slide);
    const bottom = r.bottom - parseFloat(cs.paddingBottom) + 1;
    const right = r.right - parseFloat(cs.paddingRight) + 1;
    const items = slide.querySelectorAll(":scope > *, :scope > * > *, .column > *");
    for (const el of items) {
      if (el.matches("img.background, p:has(> img.background:only-child)")) continue;
      // Inline code's padding pokes a pixel out of its line: its paragraph is what counts.
      if (el.matches("p > :not(img, video, svg)") && getComputedStyle(el).display === "inline") continue;
      // An image the author moved (md2googleslides' offset-x/-y: position: relative) sticks
      // out by its offset at any type size: shrinking the type would only make it tiny.
      if (el.matches('img[style*="position: relative"]')) continue;
      const b = el.getBoundingClientRect();
      if (!b.width && !b.height) continue;
      if (b.bottom > bottom || b.right > right) return true;
    }
    for (const el of slide.querySelectorAll("pre, table, .column")) if (spills(el)) return true;
    return false;
  };

  /* A code block's source lines as blocks (span.line), for wrapping with a marker. The text
     is cut at its newlines with Ranges, whose clones close and reopen the highlighter's
     spans that a line break falls inside. The original is kept, to undo it on a refit. */
  const unwrapped = new WeakMap();
  function wrapLines(pre) {
    const code = pre.querySelector("code") || pre;
    if (!unwrapped.has(pre)) unwrapped.set(pre, code.innerHTML);
    const breaks = [];
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = node.data.indexOf("\n"); i >= 0; i = node.data.indexOf("\n", i + 1)) breaks.push([node, i]);
    }
    const lines = [];
    const range = document.createRange();
    range.setStart(code, 0);
    for (const [node, i] of breaks) {
      range.setEnd(node, i);
      lines.push(range.cloneContents());
      range.setStart(node, i + 1);
    }
    range.setEnd(code, code.childNodes.length);
    const last = range.cloneContents();
    if (last.textContent || !breaks.length) lines.push(last);
    code.replaceChildren(...lines.map((fragment) => {
      const line = document.createElement("span");
      line.className = "line";
      line.append(fragment);
      return line;
    }));
    pre.classList.add("wrap");
  }
  function unwrapLines(pre) {
    pre.classList.remove("wrap");
    if (!unwrapped.has(pre)) return;
    (pre.querySelector("code") || pre).innerHTML = unwrapped.get(pre);
    unwrapped.delete(pre);
  }
  /* Each code block wider than its room: shrink its type (monospace: width is proportional),
     or at the floor wrap it. */
  function fitCode(slide) {
    for (const pre of slide.querySelectorAll("pre")) {
      pre.style.removeProperty("--code-fit");
      unwrapLines(pre);
      if (!spills(pre)) continue;
      const cs = getComputedStyle(pre);
      const pad = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
      let scale = ((pre.clientWidth - pad) / (pre.scrollWidth - pad)) * 0.995;
      for (let i = 0; i < 3 && scale >= P.CODE_FLOOR; i++) {
        pre.style.setProperty("--code-fit", scale.toFixed(4));
        if (!spills(pre)) break;
        scale *= 0.97;
      }
      if (scale < P.CODE_FLOOR || spills(pre)) {
        pre.style.setProperty("--code-fit", String(P.CODE_FLOOR));
        wrapLines(pre);
      }
    }
  }
  /* Fit slides (each laid out: shown, or with the class "measuring"). Each step of the search
     writes every slide's --fit, then reads them all, so many slides at once (print) take about
     eight layouts in all, not up to eight per slide (a 100-slide deck spent most of a second in
     layouts). Below the floor a slide keeps the floor and scrolls ("overfull"); paper cannot
     scroll, so it prints at the scale it needs (--fit-print). A figure that never scrolls
     (`still`: the handout's, the index's) takes the scale it needs. Returns each factor. */
  P.fitMany = (slides, still = false) => {
    for (const slide of slides) {
      slide.style.removeProperty("--fit");
      slide.style.removeProperty("--fit-print");
      slide.classList.remove("overfull");
      for (const pre of slide.querySelectorAll("pre")) {
        pre.style.removeProperty("--code-fit");
        unwrapLines(pre);
      }
    }
    // Only slides with code too wide take fitCode's own layouts.
    for (const slide of slides.filter((s) => [...s.querySelectorAll("pre")].some(spills))) fitCode(slide);
    const over = slides.filter(overflows);
    const lo = over.map(() => 0.2);
    const hi = over.map(() => 1);
    for (let i = 0; i < 8; i++) {
      over.forEach((s, k) => s.style.setProperty("--fit", ((lo[k] + hi[k]) / 2).toFixed(4)));
      over.forEach((s, k) => {
        const mid = (lo[k] + hi[k]) / 2;
        if (overflows(s)) hi[k] = mid;
        else lo[k] = mid;
      });
    }
    const needs = new Map(over.map((s, k) => [s, +lo[k].toFixed(3)]));
    return slides.map((slide) => {
      const needed = needs.get(slide) ?? 1;
      const fit = still ? needed : Math.max(needed, P.FIT_FLOOR);
      if (needed < 1) slide.style.setProperty("--fit", String(fit));
      if (needed < fit) {
        slide.classList.add("overfull");
        slide.style.setProperty("--fit-print", String(needed));
        slide.dataset.fitNeeded = String(needed);
      } else delete slide.dataset.fitNeeded;
      slide.dataset.fit = String(fit);
      return fit;
    });
  };

  /* One slide on screen: P.fitMany's fit, and a slide that scrolls can take focus, so the
     keyboard can reach what is scrolled away. */
  P.fit = (slide) => {
    const [fit] = P.fitMany([slide]);
    if (slide.classList.contains("overfull") && !slide.inert) {
      slide.tabIndex = 0;
      slide.dataset.fitFocus = "1";
    } else if (slide.dataset.fitFocus) {
      slide.removeAttribute("tabindex");
      delete slide.dataset.fitFocus;
    }
    return fit;
  };

  /* Cap small images at twice their natural size, so they stay sharp when enlarged. */
  P.capImages = (root) => {
    for (const img of root.querySelectorAll("img:not(.background)")) {
      const cap = () => {
        if (img.naturalWidth && img.naturalWidth < 960) {
          img.style.maxWidth = `calc(${img.naturalWidth * 2} * var(--u))`;
          img.style.maxHeight = `calc(${img.naturalHeight * 2} * var(--u))`;
        }
      };
      if (img.complete) cap();
      else img.addEventListener("load", cap, { once: true });
    }
  };

  /* ---- previews: an inert copy of a slide that never plays media or takes focus ------------ */
  P.cloneSlide = (source, step) => {
    const origin = source.content ? source.content.firstElementChild : source;
    const el = origin.cloneNode(true);
    el.removeAttribute("id");
    el.removeAttribute("aria-roledescription");
    el.removeAttribute("aria-label");
    el.classList.remove("current");
    for (const n of el.querySelectorAll("[id]")) n.removeAttribute("id");
    for (const m of el.querySelectorAll("video, audio")) {
      m.removeAttribute("autoplay");
      m.autoplay = false;
      m.preload = "none";
      m.muted = true;
    }
    for (const f of el.querySelectorAll("iframe, object, embed")) {
      const ph = document.createElement("div");
      ph.className = "embed-placeholder";
      ph.textContent = f.getAttribute("title") || "Embedded content";
      f.replaceWith(ph);
    }
    for (const n of el.querySelectorAll("a, button, input, select, textarea, [tabindex], video, audio")) {
      n.setAttribute("tabindex", "-1");
    }
    el.setAttribute("aria-hidden", "true");
    el.inert = true;
    P.applySteps(el, step == null ? Infinity : step);
    return el;
  };

  /* ---- overview: a grid of every slide; pick one with a click or Enter -------------------- */
  /* fitOf(i): slide i's shrink-to-fit factor, measured at full size on demand; a thumbnail
     of a slide not shown yet gets it when it scrolls into view, so it equals the slide. */
  P.Overview = class {
    constructor(container, data, sourceOf, onPick, fitOf) {
      Object.assign(this, { container, data, sourceOf, onPick, fitOf, built: false });
      this.unfitted = new Map();
      this.observer = new IntersectionObserver((entries) => {
        for (const e of entries) if (e.isIntersecting) this.fitThumb(e.target);
      }, { root: container });
      container.addEventListener("keydown", (e) => this.keydown(e));
      window.addEventListener("resize", () => this.open && this.scale());
    }
    /* The thumbnails' scale (--thumb-u) in pixels, not container units: WebKit (Safari) lays
       out a content-visibility:auto item's contents with the container units it had while
       skipped, and never again, so its thumbnails came out broken. */
    scale() {
      const item = this.container.querySelector(":scope > ol > li");
      if (!item) return;
      const cs = getComputedStyle(item);
      const width = item.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const cw = parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--cw")) || 1920;
      this.container.style.setProperty("--thumb-u", width / cw + "px");
    }
    fitThumb(li) {
      const item = this.unfitted.get(li);
      if (!item) return;
      this.unfitted.delete(li);
      this.observer.unobserve(li);
      item.clone.style.setProperty("--fit", this.fitOf(item.index));
    }
    /* The thumbnails in view on opening are fitted at once: no flash of overflowing ones.
       All positions are read before any fit changes the layout (one layout, not one each). */
    fitVisible() {
      const box = this.container.getBoundingClientRect();
      const inView = Array.from(this.unfitted.keys()).filter((li) => {
        const r = li.getBoundingClientRect();
        return r.bottom >= box.top && r.top <= box.bottom;
      });
      for (const li of inView) this.fitThumb(li);
    }
    build() {
      const c = this.container;
      c.textContent = "";
      this.observer.disconnect();
      this.unfitted.clear();
      const h = document.createElement("h2");
      h.textContent = "All slides: arrows to move, Enter to open, Esc to close";
      const ol = document.createElement("ol");
      this.data.slides.forEach((s, i) => {
        const li = document.createElement("li");
        li.dataset.index = String(i + 1);
        const frame = document.createElement("div");
        frame.className = "frame";
        frame.setAttribute("aria-hidden", "true");
        const src = this.sourceOf(i + 1);
        if (src) {
          const clone = P.cloneSlide(src, null);
          const fit = src.dataset && src.dataset.fit;
          if (fit) clone.style.setProperty("--fit", fit);
          else if (this.fitOf) {
            this.unfitted.set(li, { clone, index: i + 1 });
            this.observer.observe(li);
          }
          frame.append(clone);
        }
        const a = document.createElement("a");
        a.href = "#" + (i + 1);
        const num = document.createElement("span");
        num.className = "num";
        num.textContent = i + 1 + ".";
        a.append(num, s.title);
        a.addEventListener("click", (e) => {
          e.preventDefault();
          this.onPick(i + 1);
        });
        li.append(frame, a);
        ol.append(li);
      });
      c.append(h, ol);
      this.built = true;
    }
    get open() {
      return !this.container.hidden;
    }
    show(current) {
      if (!this.built) this.build();
      this.container.hidden = false;
      this.scale();
      for (const li of this.container.querySelectorAll("li.current")) li.classList.remove("current");
      const li = this.container.querySelector(`li[data-index="${current}"]`);
      if (li) {
        li.classList.add("current");
        li.querySelector("a").focus({ preventScroll: true });
        li.scrollIntoView({ block: "center" });
      }
      this.fitVisible();
    }
    hide() {
      this.container.hidden = true;
    }
    invalidate() {
      this.built = false;
    }
    keydown(e) {
      const links = Array.from(this.container.querySelectorAll(":scope > ol > li > a"));
      const i = links.indexOf(document.activeElement);
      if (i < 0) return;
      const first = links[0].parentElement.offsetTop;
      let cols = links.findIndex((a) => a.parentElement.offsetTop !== first);
      if (cols < 1) cols = links.length;
      const move = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols, Home: -links.length, End: links.length }[e.key];
      if (move === undefined) return;
      e.preventDefault();
      e.stopPropagation();
      links[Math.min(Math.max(0, i + move), links.length - 1)].focus();
    }
  };

  /* ---- keyboard: the one table of keys, read by the handler and by the help dialog --------
   * A row maps keys (KeyboardEvent.key; "Shift+ " is Shift+Space) to the view's actions and
   * says what they do; a view handles a row's keys when it has the action, and its help lists
   * exactly those rows, so the help and the handler cannot drift apart. Letters work in
   * either case. help: one text, or one per view. */
  const GOTO = "goto";
  P.KEYS = [
    { keys: { ArrowRight: "next", ArrowDown: "next", " ": "next", PageDown: "next" },
      help: { audience: "Next step or slide (also a click or a swipe left)", other: "Next step or slide" } },
    { keys: { ArrowLeft: "prev", ArrowUp: "prev", "Shift+ ": "prev", PageUp: "prev" }, help: "Previous step or slide" },
    { keys: { Home: "first", End: "last" }, help: "First or last slide" },
    { keys: { ...Object.fromEntries([..."0123456789"].map((d) => [d, GOTO])), Enter: GOTO, Backspace: GOTO },
      label: ["0", "…", "9", "Enter", "Backspace"],
      help: "Type a slide number and Enter to go there (Backspace corrects, Esc cancels)" },
    { keys: { o: "overview" }, help: "Overview of all slides (click or Enter to go)" },
    { keys: { b: "blackout", ".": "blackout" },
      help: { presenter: "Black screen (again to return): blacks out the audience window", other: "Black screen (again to return)" } },
    { keys: { f: "fullscreen" }, help: "Full screen" },
    { keys: { p: "presenter" }, help: "Open the presenter view (notes, timer, next slide) in its own window" },
    { keys: { a: "audience" }, help: "Open or bring up the audience window" },
    { keys: { "+": "bigger", "=": "bigger", "-": "smaller", _: "smaller" }, help: "Larger or smaller notes (remembered)" },
    { keys: { t: "timer" }, help: "Start, pause or resume the timer" },
    { keys: { r: "reset" }, help: "Reset the timer (asks first)" },
    { keys: { l: "laser" }, help: { presenter: "Laser pointer on or off: your pointer over Now is a red dot on the audience screen", other: "Laser pointer on or off (shown in the other window too)" } },
    { keys: { "Alt+click": "zoom" }, label: ["Alt+click"],
      help: { presenter: "Zoom the audience screen 2.5× where you click on Now (again, or Esc, to zoom out)", other: "Zoom 2.5× where you click (again, or Esc, to zoom out)" } },
    { keys: { "?": "help" }, help: "This help" },
    { keys: { Escape: "escape" }, help: { audience: "Close help or overview; zoom out; end the black screen", presenter: "Close help or overview; zoom out; cancel a timer reset" } },
  ];
  const KEY_LABELS = {
    ArrowRight: "→", ArrowDown: "↓", ArrowLeft: "←", ArrowUp: "↑", " ": "Space", "Shift+ ": "Shift+Space",
    PageDown: "PgDn", PageUp: "PgUp", Escape: "Esc",
  };
  P.keyLabel = (key) => KEY_LABELS[key] || key;
  /* The rows a view with these actions handles. */
  const rowsFor = (actions) => P.KEYS.filter((row) => Object.values(row.keys).some((name) => actions[name]));

  /* Fill a help table's body with the rows the view handles (before any row already there:
     the live-reload client adds its own). */
  P.renderHelp = (tbody, actions, view) => {
    const rows = rowsFor(actions).map((row) =>
      P.helpRow(
        row.label || Object.keys(row.keys).filter((k) => actions[row.keys[k]]),
        typeof row.help === "string" ? row.help : row.help[view] || row.help.other,
      ),
    );
    tbody.prepend(...rows);
  };
  /* One row of the help: its keys ("…" between two of them reads as a range), what they do. */
  P.helpRow = (keys, text) => {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    for (const key of keys) {
      if (key === "…") {
        th.append(" … ");
        continue;
      }
      const kbd = document.createElement("kbd");
      kbd.textContent = P.keyLabel(key);
      th.append(kbd, " ");
    }
    const td = document.createElement("td");
    td.textContent = text;
    tr.append(th, td);
    return tr;
  };

  /* A key that is not the page's: with Ctrl, Cmd or Alt (the browser's or the system's), one
     a handler already took, or one typed into a field. */
  P.ignoresKey = (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return true;
    const t = e.target;
    return !!(t && t.closest && t.closest("input, textarea, select, [contenteditable]"));
  };

  P.keys = (actions, isBlocked) => {
    const map = {};
    for (const row of rowsFor(actions)) {
      for (const [key, name] of Object.entries(row.keys)) if (actions[name]) map[key] = name;
    }
    /* Every key this view answers to (letters in either case), for the help test. */
    P.handledKeys = Object.keys(map);
    let digits = "";
    let digitTimer = 0;
    const setDigits = (d) => {
      digits = d;
      clearTimeout(digitTimer);
      if (d) digitTimer = setTimeout(() => setDigits(""), 4000);
      if (actions.digits) actions.digits(d);
    };
    return (e) => {
      if (P.ignoresKey(e)) return;
      const t = e.target;
      if (t && t.closest && t.closest("button, a, summary") && (e.key === "Enter" || e.key === " ")) return;
      if (isBlocked && isBlocked(e)) return;
      const k = e.key === " " && e.shiftKey ? "Shift+ " : e.key;
      const name = map[k] || map[k.length === 1 ? k.toLowerCase() : ""];
      if (name === GOTO) {
        if (/^[0-9]$/.test(k)) setDigits((digits + k).slice(-5));
        else if (!digits) return; /* Enter and Backspace mean something only after digits */
        else if (k === "Enter") {
          actions.goto(+digits);
          setDigits("");
        } else setDigits(digits.slice(0, -1));
        e.preventDefault();
        return;
      }
      if (k === "Escape" && digits) return setDigits("");
      if (name && actions[name]) {
        if (actions[name](e) !== false) e.preventDefault();
      }
    };
  };

  /* ---- the window link: audience <-> presenter, opened in either order --------------------
   * Two carriers, so it works everywhere without a server:
   *  - postMessage between windows that know each other: one opened the other (window.open /
   *    window.opener), or frames the other. Only such a window of this site's origin is heard
   *    (see trusts()): any other page that holds a handle on this one (a site that framed or
   *    opened it) must not move the slides. The target is "*" on file://, where pages may have
   *    an opaque ("null") origin. A WindowProxy survives its window's reload, so the window that
   *    stays re-attaches the one that reloaded (it says "bye" on pagehide; the other probes);
   *  - BroadcastChannel, for windows of one origin opened independently;
   *  - on file:// only, a short queue of the last messages in localStorage, for the same
   *    windows where BroadcastChannel delivers nothing: WebKit (Safari) between file:// pages.
   *    Those pages share localStorage, but a page that reloaded gets no "storage" event any
   *    more (WebKitGTK 2.50), so the queue is also read every 200 ms.
   * A message may so arrive more than once; each carries an id (mid) to drop repeats by.
   * Messages: hello (I arrived: tell me the state), state (go there), ack, bye, ping; and
   * signals (laser, zoom: see tools.js), passing moments not kept: never queued in storage,
   * never counted as seen (a stream of them must not push out a position).
 * Every state carries t, the time of the change that made it (0 for a freshly loaded page). */
  const PROTOCOL = "podium-sync/1";
  P.Link = class {
    constructor(role, { getState, onState, onSignal }) {
      Object.assign(this, { role, getState, onState, onSignal });
      this.id = Math.random().toString(36).slice(2);
      this.peers = new Map();
      this.probes = new Map();
      try {
        this.bc = new BroadcastChannel("podium:" + P.key);
        this.bc.onmessage = (e) => this.receive(e.data, null);
      } catch (err) {
        this.bc = null;
      }
      this.seen = new Set();
      this.sent = 0;
      this.queueKey = "podium-sync:" + P.key;
      this.queued = location.protocol === "file:";
      if (this.queued) {
        for (const m of this.readQueue()) this.seen.add(m.mid); /* older than this page */
        window.addEventListener("storage", (e) => e.key === this.queueKey && this.drain());
        setInterval(() => this.drain(), 200);
      }
      window.addEventListener("message", (e) => {
        if (this.trusts(e)) this.receive(e.data, e.source);
      });
      window.addEventListener("pagehide", () => this.post("bye"));
      try {
        if (window.opener && !window.opener.closed) this.peers.set(window.opener, "opener");
      } catch (err) {
        /* an opener we may not touch */
      }
      setInterval(() => this.heartbeat(), 2000);
    }
    /* A message is heard only from this site (on file://, Chromium and WebKit say "file://",
       Firefox "null") and from a window tied to this one: its opener, one it opened, or a frame
       in it. opener and parent may be read across origins; a WindowProxy stays the same across
       reloads, so a window that reloads is still recognised by the one that opened it. */
    trusts(e) {
      const local = location.protocol === "file:";
      if (local ? e.origin !== "null" && e.origin !== "file://" : e.origin !== location.origin) return false;
      const win = e.source;
      if (!win || win === window) return false;
      try {
        return win === window.opener || win.opener === window || win.parent === window;
      } catch (err) {
        return false;
      }
    }
    message(type, extra) {
      const mid = this.id + ":" + ++this.sent;
      return Object.assign({ podium: PROTOCOL, key: P.key, from: this.id, mid, role: this.role, type }, extra);
    }
    /* To every window of this deck, whoever opened it. */
    broadcast(m) {
      if (this.bc) this.bc.postMessage(m);
      if (!this.queued) return;
      const now = Date.now();
      const queue = this.readQueue().filter((q) => now - (+q.sent || 0) < 5000);
      queue.push(Object.assign({ sent: now }, m));
      try {
        localStorage.setItem(this.queueKey, JSON.stringify(queue.slice(-10)));
      } catch (err) {
        /* storage may be off: BroadcastChannel and postMessage remain */
      }
    }
    readQueue() {
      try {
        const queue = JSON.parse(localStorage.getItem(this.queueKey) || "[]");
        return Array.isArray(queue) ? queue.filter((m) => m && typeof m === "object") : [];
      } catch (err) {
        return [];
      }
    }
    drain() {
      for (const m of this.readQueue()) if (m.from !== this.id && !this.seen.has(m.mid)) this.receive(m, null);
    }
    to(win, type, extra) {
      return this.deliver(win, this.message(type, extra));
    }
    deliver(win, m) {
      try {
        win.postMessage(m, location.protocol === "file:" ? "*" : location.origin);
        return true;
      } catch (err) {
        return false;
      }
    }
    /* A signal: to the windows this one knows and the channel, not to the storage queue. */
    signal(type, extra) {
      const m = this.message(type, Object.assign({ signal: true }, extra));
      if (this.bc) this.bc.postMessage(m);
      for (const win of this.peers.keys()) if (!win.closed) this.deliver(win, m);
    }
    post(type, extra) {
      const m = this.message(type, extra);
      this.broadcast(m);
      for (const win of this.peers.keys()) {
        if (win.closed) this.peers.delete(win);
        else this.deliver(win, m);
      }
    }
    hello() {
      this.post("hello", { state: this.getState() });
    }
    send() {
      this.post("state", { state: this.getState() });
    }
    addPeer(win, role) {
      if (win && win !== window) this.peers.set(win, role);
    }
    peer(role) {
      for (const [win, r] of this.peers) if (r === role && !win.closed) return win;
      return null;
    }
    receive(m, source) {
      if (!m || m.podium !== PROTOCOL || m.key !== P.key || m.from === this.id) return;
      const fresh = source && !this.peers.has(source);
      if (source && source !== window) {
        this.peers.set(source, m.role);
        this.stopProbe(source);
      }
      if (m.signal) {
        if (this.onSignal) this.onSignal(m);
        return;
      }
      /* A copy by a second broadcast carrier is dropped; a postMessage copy is not, as it
         names its window (a "bye" needs that to re-attach the window). */
      const repeat = this.seen.has(m.mid);
      this.seen.add(m.mid);
      if (this.seen.size > 200) this.seen.delete(this.seen.values().next().value);
      if (repeat && !source) return;
      const reply = (type, extra) => (source ? this.to(source, type, extra) : this.broadcast(this.message(type, extra)));
      /* The most recent change wins: a window that reloaded starts at t = 0 and takes its
         partner's position, but a step taken before the two found each other again is kept. */
      const newer = (s) => s && typeof s === "object" && (+s.t || 0) >= (+this.getState().t || 0);
      switch (m.type) {
        case "hello":
          if (m.state && (+m.state.t || 0) > (+this.getState().t || 0)) this.onState(m.state, m);
          else reply("state", { state: this.getState(), reply: true });
          break;
        case "state":
          if (newer(m.state)) {
            this.onState(m.state, m);
            if (m.ack) reply("ack");
          } else reply("state", { state: this.getState() });
          break;
        case "bye":
          if (source) this.probe(source);
          break;
        case "ping":
          if (fresh) this.to(source, "hello", { state: this.getState() });
          break;
        default:
      }
    }
    probe(win) {
      this.stopProbe(win);
      let tries = 0;
      const timer = setInterval(() => {
        if (win.closed || ++tries > 100) return this.stopProbe(win);
        this.to(win, "state", { state: this.getState(), ack: true });
      }, 150);
      this.probes.set(win, timer);
    }
    stopProbe(win) {
      clearInterval(this.probes.get(win));
      this.probes.delete(win);
    }
    heartbeat() {
      for (const win of this.peers.keys()) {
        if (win.closed) this.peers.delete(win);
      }
      try {
        if (window.opener && !window.opener.closed) this.to(window.opener, "ping");
      } catch (err) {
        /* ignore */
      }
    }
  };

  /* ---- the controller: what the audience and presenter views share --------------------------
   * One position (slide, step, black screen) and the window link that keeps it in sync, the
   * moves (next, previous, go to), the common actions and their keys and buttons (overview,
   * help, black screen, full screen, opening the other window), the URL hash and the internal
   * API. A view supplies only what differs:
   *   role            "audience" or "presenter" (its help texts and its name on the link)
   *   peer            {role, page, height}: the other view, opened by its action (p or a)
   *   pushHistory     a slide change makes a history entry, so Back walks the slides
   *   source(i)       slide i's element, or the <template> that holds it
   *   render(s, b)    draw position s with the black screen on or off (after every change)
   *   fitOf(i)        slide i's shrink-to-fit factor, for its thumbnail in the overview
   *   moved()         the position changed (before it is drawn)
   *   announcer       an aria-live element told of every change (optional)
   *   background      made inert while the overview is open; focus: focused when it closes
   *   buttons         the element whose button[data-action] run the actions
   *   actions         the view's own actions (by name, as in P.KEYS)
   *   escape()        Esc when no overview is open; returns false when it did nothing
   *   replaced(i, info, el)  slide i's markup el was replaced in place (replaceSlide)
   *   api             members the view adds to window.podium
   * Returns {data, state, blackout, go, next, prev, setBlackout, render, start}. */
  P.control = (view) => {
    const data = P.readData();
    let state = P.parseHash(location.hash, data) || { slide: 1, step: 0 };
    let blackout = false;
    let changedAt = 0; /* when this window last changed position (the sync's "newest wins") */
    const listeners = new Set();

    const link = new P.Link(view.role, {
      getState: () => ({ slide: state.slide, step: state.step, blackout, t: changedAt }),
      onState: (s) => {
        changedAt = +s.t || 0;
        go({ slide: s.slide, step: s.step, blackout: !!s.blackout }, { send: false });
      },
      onSignal: (m) => {
        const fn = signalHandlers.get(m.type);
        if (fn) fn(m);
      },
    });
    /* The presenting tools (tools.js: laser, zoom, wake lock), when the page loads them. */
    const signalHandlers = new Map();
    const tools = P.tools
      ? P.tools({
          role: view.role,
          send: (type, extra) => link.signal(type, extra),
          on: (type, fn) => signalHandlers.set(type, fn),
          onChange: (fn) => listeners.add(fn),
        })
      : { actions: {} };

    /* The hash follows the position; push: a history entry (only for a new slide). */
    function writeHash(push) {
      const hash = P.formatHash(state);
      if (location.hash === hash) return;
      if (push && view.pushHistory) history.pushState(null, "", hash);
      else history.replaceState(null, "", hash);
    }
    function render() {
      view.render(state, blackout);
      writeHash(false);
    }
    function announce(moved, blacked) {
      const el = view.announcer;
      if (!el) return;
      if (blacked) {
        el.textContent = blackout ? "Screen blacked out" : `Slide ${state.slide} of ${data.count}`;
        return;
      }
      const s = P.info(data, state.slide);
      let text = `Slide ${state.slide} of ${data.count}: ${s.title}`;
      if (s.steps) text += `, ${P.stepLabel(state.step, s.steps)}`;
      el.textContent = text;
    }

    /* Go to a position (and black screen, when the target says). push: a new history entry
       when the slide changes; send: tell the other windows (false when the change came from
       them). Listeners hear of every change. */
    function go(target, { push = true, send = true } = {}) {
      const s = P.clamp(target, data);
      const black = target.blackout === undefined ? blackout : !!target.blackout;
      const slideChanged = s.slide !== state.slide;
      const moved = slideChanged || s.step !== state.step;
      const blacked = black !== blackout;
      state = s;
      blackout = black;
      if (moved && view.moved) view.moved();
      view.render(state, blackout);
      writeHash(slideChanged && push);
      if (!moved && !blacked) return;
      announce(moved, blacked);
      if (send) {
        changedAt = Date.now();
        link.send();
      }
      for (const fn of listeners) fn(P.state);
    }
    const next = () => {
      const s = P.nextState(state, data);
      if (s) go(s);
    };
    const prev = () => {
      const s = P.prevState(state, data);
      if (s) go(s);
    };
    const setBlackout = (on) => go({ slide: state.slide, step: state.step, blackout: !!on });

    const overview = new P.Overview(document.getElementById("podium-overview"), data, view.source, (i) => {
      closeOverview();
      go({ slide: i, step: 0 });
    }, view.fitOf);
    function openOverview() {
      if (view.background) view.background.inert = true;
      overview.show(state.slide);
    }
    function closeOverview() {
      overview.hide();
      if (view.background) view.background.inert = false;
      if (view.focus) view.focus.focus({ preventScroll: true });
    }

    /* Bring up the other view's window, or open it at this position. */
    function openPeer() {
      const { role, height } = view.peer;
      const page = (P.pages && P.pages[role]) || view.peer.page;
      const existing = link.peer(role);
      if (existing) {
        existing.focus();
        return;
      }
      const win = window.open(page + P.formatHash(state), `podium-${role}:` + P.key, `popup,width=1280,height=${height}`);
      if (win) link.addPeer(win, role);
      else P.toast(`The browser blocked the ${role} window. Allow pop-ups for this page, or open ${page} next to it.`);
    }

    const help = document.getElementById("podium-help");
    const gotoEl = document.querySelector(".goto");
    const actions = {
      next, prev,
      first: () => go({ slide: 1, step: 0 }),
      last: () => go({ slide: data.count, step: P.info(data, data.count).steps }),
      goto: (n) => go({ slide: n, step: 0 }),
      overview: () => (overview.open ? closeOverview() : openOverview()),
      blackout: () => setBlackout(!blackout),
      fullscreen: () => P.toggleFullscreen(),
      help: () => (help.open ? help.close() : help.showModal()),
      [view.peer.role]: openPeer,
      escape: () => {
        if (overview.open) closeOverview();
        else if (tools.escape && tools.escape()) return true;
        else return view.escape ? view.escape() : false;
      },
      digits: (d) => {
        gotoEl.hidden = !d;
        gotoEl.textContent = d ? "Go to " + d : "";
      },
      ...tools.actions,
      ...view.actions,
    };
    P.renderHelp(help.querySelector("tbody"), actions, view.role);
    /* While the help is open only ? closes it (Esc is the dialog's own); in the overview only
       o and Esc count, its arrows move between thumbnails. */
    document.addEventListener("keydown", P.keys(actions, (e) => {
      if (help.open) return e.key !== "?";
      if (overview.open) return !["o", "O", "Escape"].includes(e.key);
      return false;
    }));
    for (const button of view.buttons.querySelectorAll("button[data-action]")) {
      button.addEventListener("click", (e) => {
        e.stopPropagation();
        const a = actions[button.dataset.action];
        if (a) a();
      });
    }

    /* Back/forward and typed or edited hashes (index.html#6, a link to #what-is-keras). */
    const fromUrl = () => {
      const s = P.parseHash(location.hash, data);
      if (s) go(s, { push: false });
    };
    window.addEventListener("popstate", fromUrl);
    window.addEventListener("hashchange", fromUrl);

    /* The internal API (docs/views.md). */
    Object.defineProperty(P, "state", {
      get: () => ({ slide: state.slide, step: state.step, blackout }),
      configurable: true,
    });
    Object.assign(P, {
      view: view.role,
      data,
      go: (slide, step = 0) => go({ slide, step }),
      next, prev,
      blackout: (on) => setBlackout(on),
      onChange: (fn) => listeners.add(fn),
      /* Replace slide index's body in place (the live-reload client); the view refits it. */
      replaceSlide(index, html, info = {}) {
        const src = view.source(index);
        if (!src) return false;
        const el = src.content ? src.content.firstElementChild : src;
        el.innerHTML = html;
        if (info.layout) el.className = el.className.replace(/\blayout-[a-z-]+/, "layout-" + info.layout);
        if (info.title !== undefined) data.slides[index - 1].title = info.title;
        if (info.steps !== undefined) data.slides[index - 1].steps = info.steps;
        overview.invalidate();
        state = P.clamp(state, data);
        view.replaced(index, info, el);
        return true;
      },
    }, view.api);

    return {
      data, go, next, prev, setBlackout, render,
      get state() {
        return state;
      },
      get blackout() {
        return blackout;
      },
      /* Draw the first position and find the other window. */
      start() {
        render();
        link.hello();
      },
    };
  };

  /* ---- small things ------------------------------------------------------------------------ */
  P.store = {
    get(name, fallback) {
      try {
        const v = localStorage.getItem("podium:" + name);
        return v === null ? fallback : JSON.parse(v);
      } catch (err) {
        return fallback;
      }
    },
    set(name, value) {
      try {
        localStorage.setItem("podium:" + name, JSON.stringify(value));
      } catch (err) {
        /* storage may be off: the setting just is not remembered */
      }
    },
  };

  P.toggleFullscreen = () => {
    const d = document;
    const p = d.fullscreenElement ? d.exitFullscreen() : d.documentElement.requestFullscreen();
    if (p && p.catch) p.catch(() => {});
  };

  P.toast = (text, ms = 5000) => {
    let el = document.querySelector(".toast");
    if (!el) {
      el = document.createElement("div");
      el.className = "toast";
      el.setAttribute("role", "status");
      document.body.append(el);
    }
    el.textContent = text;
    el.hidden = false;
    clearTimeout(P.toast.timer);
    P.toast.timer = setTimeout(() => (el.hidden = true), ms);
  };

  /* Run fn once the fonts are in, and after ms of quiet whenever the window changes size. */
  P.onLayoutChange = (fn, ms = 150) => {
    if (document.fonts) document.fonts.ready.then(fn);
    let timer = 0;
    window.addEventListener("resize", () => {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    });
  };

  /* Fit every slide in frames that are visible all the time (handout, deck index). */
  P.fitAll = (root = document) => {
    const slides = Array.from(root.querySelectorAll(".frame > .slide"));
    for (const slide of slides) P.applySteps(slide, Infinity);
    P.fitMany(slides, true);
  };
})();
