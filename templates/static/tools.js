/* Presenting tools, for the audience and presenter views: a laser pointer and Alt+click zoom,
 * each mirrored to the other window, and the screen kept awake while a deck is shown.
 *
 * Loaded before audience.js / presenter.js; the shared controller (podium.js, P.control) calls
 * P.tools(ctx) once, with ctx = {role, send(type, extra), on(type, fn), onChange(fn)}: send
 * and on carry signals through the window link (the channel that keeps the slides in sync),
 * onChange hears of every change of position. Returns the actions the keys run (P.KEYS: l,
 * Alt+click) and escape(), which Esc calls first.
 *
 * Positions travel as fractions of the slide (0..1 across and down), so a point maps between
 * a small preview and a projector of another size or shape of window.
 */
(() => {
  "use strict";
  const P = window.podium;
  const ZOOM = 2.5;

  P.tools = (ctx) => {
    const presenter = ctx.role === "presenter";
    /* Where the slide is drawn: the audience's current slide, the presenter's Now preview. */
    const host = () => document.getElementById(presenter ? "podium-current" : "podium-deck");
    const surface = () => {
      const h = host();
      return h && h.querySelector(presenter ? ":scope > .slide" : ":scope > .slide.current");
    };
    /* A point of the page as a fraction of the slide, or null when it is off the slide. The
       slide's box is read as drawn (zoomed or not): a fraction of it is a point of the slide
       itself, so both windows agree whatever the zoom. */
    const toSlide = (x, y) => {
      const el = surface();
      if (!el) return null;
      const r = el.getBoundingClientRect();
      if (!r.width || x < r.left || x > r.right || y < r.top || y > r.bottom) return null;
      return { x: (x - r.left) / r.width, y: (y - r.top) / r.height };
    };
    const valid = (v) => typeof v === "number" && v >= 0 && v <= 1;

    /* ---- laser: a red dot where the pointer is, in this window and the other ---------------- */
    let laserOn = false;
    const dot = document.createElement("div");
    dot.className = "laser-dot";
    dot.hidden = true;
    dot.setAttribute("aria-hidden", "true");
    document.body.append(dot);
    function showDot(point) {
      const el = point && surface();
      if (!el) {
        dot.hidden = true;
        return;
      }
      const r = el.getBoundingClientRect();
      dot.style.left = r.left + point.x * r.width + "px";
      dot.style.top = r.top + point.y * r.height + "px";
      dot.hidden = false;
    }
    /* At most one message a frame, whatever the mouse's rate. */
    let pending;
    let frame = 0;
    function sendPoint(point) {
      pending = point;
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        ctx.send("laser", pending ? { x: pending.x, y: pending.y } : { x: null, y: null });
      });
    }
    document.addEventListener("pointermove", (e) => {
      if (!laserOn) return;
      const point = toSlide(e.clientX, e.clientY);
      showDot(point);
      sendPoint(point);
    });
    function toggleLaser() {
      laserOn = !laserOn;
      document.body.classList.toggle("laser-on", laserOn);
      if (!laserOn) {
        showDot(null);
        sendPoint(null);
      }
      P.toast(laserOn ? "Laser pointer on (l to turn it off)" : "Laser pointer off", 1500);
    }
    ctx.on("laser", (m) => showDot(valid(m.x) && valid(m.y) ? { x: m.x, y: m.y } : null));

    /* ---- zoom: Alt+click zooms 2.5x on the point, again (or Esc) zooms out ------------------
       The point comes to the middle of the screen, as far as the slide reaches: the zoomed
       slide always covers its frame, with no empty margin at an edge or a corner. */
    const shift = (p) => Math.min(0, Math.max(1 - ZOOM, 0.5 - ZOOM * p)) * 100 + "%";
    let zoom = null;
    function applyZoom(z) {
      zoom = z;
      const h = host();
      if (!h) return;
      h.classList.toggle("zoomed", !!z);
      if (z) {
        h.style.setProperty("--zoom-x", z.x * 100 + "%");
        h.style.setProperty("--zoom-y", z.y * 100 + "%");
        h.style.setProperty("--zoom-shift", `${shift(z.x)}, ${shift(z.y)}`);
      }
      showDot(null);
    }
    function setZoom(z) {
      applyZoom(z);
      ctx.send("zoom", z ? { x: z.x, y: z.y } : { x: null, y: null });
    }
    document.addEventListener("click", (e) => {
      if (!e.altKey || e.button !== 0) return;
      const point = toSlide(e.clientX, e.clientY);
      if (!point && !zoom) return;
      /* The click is the zoom's, not the next step's. */
      e.preventDefault();
      e.stopPropagation();
      setZoom(zoom ? null : point);
    }, true);
    ctx.on("zoom", (m) => applyZoom(valid(m.x) && valid(m.y) ? { x: m.x, y: m.y } : null));
    /* Another slide or step starts unzoomed, in both windows (each hears of the move). */
    ctx.onChange(() => {
      if (zoom) applyZoom(null);
    });

    /* ---- the screen kept awake while the deck is shown (Wake Lock API, where there is one) --- */
    async function keepAwake() {
      if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
      try {
        await navigator.wakeLock.request("screen");
      } catch (err) {
        /* refused (battery saver, a policy): the screen may sleep as it would anyway */
      }
    }
    /* The browser releases the lock when the page is hidden: take it again on return. */
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") keepAwake();
    });
    keepAwake();

    return {
      actions: {
        laser: toggleLaser,
        zoom: () => setZoom(zoom ? null : { x: 0.5, y: 0.5 }),
      },
      escape: () => {
        if (!zoom) return false;
        setZoom(null);
        return true;
      },
    };
  };
})();
