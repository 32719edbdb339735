// The review player: a frame-exact <video>, an annotation canvas over it, and a composer.
//
// The counter shows the frame on screen, never a guess from currentTime: every frame the
// browser presents is read from requestVideoFrameCallback's mediaTime. A seek to frame n asks
// for the middle of that frame, (n + 0.5) / fps (a frame boundary lands on the frame before
// about half the time), and is settled by the presented frame or, when the seek lands on the
// frame already shown (no callback comes then), by `seeked`. Frames are 0-based clip indexes;
// only the counter adds the project's start frame.
//
// Props (see components/player.py): media / compare ({version_id, label, state, error, still,
// fps, frames, width, height, src, poster, expires}), startFrame, initialFrame (and loadSeq,
// bumped whenever Python wants the player there), annotations ([{comment_id, frame,
// shapes}]), canComment, canShare, draftReset, hydrated, liveEpoch.
// Events: onFrame(index) (throttled), onComment(body, frame | -1, shapesJson, forClient),
// onMediaExpired(), onAttach(), onLeave(epoch).
// A click on any element with data-seek-frame (a comment in the list beside the player) jumps
// to that frame and shows that comment's drawing (data-comment-id).
import React, { useCallback, useEffect, useReducer, useRef, useState } from "react";

const COLOURS = ["#ff3b30", "#ffcc00", "#34c759", "#0a84ff", "#ffffff"];
const TOOLS = [
  ["pen", "Pen"],
  ["arrow", "Arrow"],
  ["rect", "Box"],
  ["text", "Text"],
];
const LINE = 0.004; // stroke width, as a fraction of the picture's width
const SETTLE_MS = 150; // after `seeked`, how long a presented frame may still take
const FRAME_EVENT_MS = 250; // onFrame at most this often
const KEYS_HELP = "← → frame · Shift 10 · J K L · Space · Home End";
const COMPARE_HELP = " · B A/B"; // only where there is a version to compare with

// SMPTE timecode of a 0-based clip index; must match state/formatting.py timecode().
export function timecode(index, fps) {
  const rate = fps || 24;
  const nominal = Math.max(1, Math.round(rate));
  let frame = Math.max(0, index | 0);
  const isDrop = Math.abs(rate - (nominal * 1000) / 1001) < 0.005 && nominal % 30 === 0;
  const drop = isDrop ? Math.floor(nominal / 15) : 0;
  if (drop) {
    const per10 = nominal * 600 - drop * 9;
    const perMin = nominal * 60 - drop;
    const tens = Math.floor(frame / per10);
    const rest = frame % per10;
    frame += drop * 9 * tens + (rest > drop ? drop * Math.floor((rest - drop) / perMin) : 0);
  }
  const pad = (n) => String(n).padStart(2, "0");
  const ff = frame % nominal;
  const ss = Math.floor(frame / nominal) % 60;
  const mm = Math.floor(frame / (nominal * 60)) % 60;
  const hh = Math.floor(frame / (nominal * 3600));
  return `${pad(hh)}:${pad(mm)}:${pad(ss)}${drop ? ";" : ":"}${pad(ff)}`;
}

// One <video> and the frame it shows.
class FrameTrack {
  constructor(onChange) {
    this.onChange = onChange;
    this.video = null;
    this.fps = 24;
    this.declared = 0; // the frame count the server probed
    this.shown = -1; // the presented frame (-1: none yet)
    this.target = null; // the frame a seek asked for
    this.seeking = false;
    this.seekedDone = false;
    this.sawTarget = false;
    this.playing = false;
    this.want = 0; // where to go once metadata is in
    this.timer = null;
    this.cleanup = null;
  }

  attach(video) {
    if (this.video === video) return;
    this.detach();
    this.video = video;
    if (!video) return;
    const on = (name, fn) => {
      video.addEventListener(name, fn);
      return () => video.removeEventListener(name, fn);
    };
    let handle = null;
    const loop = (_now, meta) => {
      if (this.video !== video) return;
      this.presented(meta.mediaTime);
      handle = video.requestVideoFrameCallback(loop);
    };
    if (video.requestVideoFrameCallback) handle = video.requestVideoFrameCallback(loop);
    const offs = [
      on("loadedmetadata", () => this.seek(this.want)),
      on("seeked", () => this.seeked()),
      on("pause", () => {
        this.playing = false;
        this.onChange();
      }),
      on("play", () => {
        this.playing = true;
        this.onChange();
      }),
      on("ended", () => {
        this.playing = false;
        this.seek(this.frames - 1);
      }),
    ];
    this.cleanup = () => {
      offs.forEach((off) => off());
      if (handle !== null && video.cancelVideoFrameCallback) video.cancelVideoFrameCallback(handle);
    };
    if (video.readyState >= 1) this.seek(this.want);
  }

  detach() {
    if (this.cleanup) this.cleanup();
    this.cleanup = null;
    this.video = null;
    clearTimeout(this.timer);
  }

  configure(fps, frames) {
    this.fps = fps > 0 ? fps : 24;
    this.declared = frames > 0 ? frames : 0;
  }

  get frames() {
    const counted = this.video && this.video.duration ? Math.round(this.video.duration * this.fps) : 0;
    return Math.max(1, this.declared || counted || 1);
  }

  clamp(n) {
    return Math.min(this.frames - 1, Math.max(0, Math.round(n)));
  }

  frameAt(seconds) {
    return this.clamp(Math.round(seconds * this.fps));
  }

  get ready() {
    return !!this.video && this.video.readyState >= 1;
  }

  presented(mediaTime) {
    this.shown = this.frameAt(mediaTime);
    if (this.seeking) {
      if (this.seekedDone) this.settle();
      else if (this.shown === this.target) this.sawTarget = true;
    }
    this.onChange();
  }

  seek(n) {
    const v = this.video;
    if (!v) return;
    const frame = this.clamp(n);
    this.want = frame;
    if (v.readyState < 1) return; // loadedmetadata seeks to `want`
    clearTimeout(this.timer);
    this.target = frame;
    this.seeking = true;
    this.seekedDone = false;
    this.sawTarget = false;
    v.currentTime = (frame + 0.5) / this.fps;
    this.onChange();
  }

  seeked() {
    const v = this.video;
    if (!v || v.seeking || !this.seeking) return; // a later seek is on its way
    this.seekedDone = true;
    if (this.sawTarget) {
      this.settle();
      return;
    }
    // The frame may already be on screen (no callback then) or be presented in a moment.
    this.timer = setTimeout(() => {
      if (!this.seeking || !this.seekedDone) return;
      if (this.shown < 0) this.shown = this.frameAt(v.currentTime - 0.5 / this.fps);
      this.settle();
    }, SETTLE_MS);
  }

  settle() {
    clearTimeout(this.timer);
    this.seeking = false;
    this.target = null;
    this.onChange();
  }

  play(rate = 1) {
    const v = this.video;
    if (!v) return;
    v.playbackRate = rate;
    if (this.shown >= this.frames - 1) this.seek(0);
    const p = v.play();
    if (p && p.catch) {
      p.catch((err) => {
        if (err && err.name === "NotAllowedError" && !v.muted) {
          v.muted = true; // autoplay rules: play muted rather than not at all
          v.play().catch(() => {});
        }
      });
    }
  }

  pause() {
    const v = this.video;
    if (!v) return;
    const wasPlaying = !v.paused;
    v.pause();
    v.playbackRate = 1;
    // Stop exactly on the frame that was on screen, in the middle of it.
    if (wasPlaying && this.shown >= 0) this.seek(this.shown);
  }

  // The frame a step starts from: the one being sought, else the one shown.
  get base() {
    return this.seeking && this.target !== null ? this.target : Math.max(0, this.shown);
  }
}

function drawShape(ctx, s, W, H, alpha) {
  const pts = (s.p || []).map(([x, y]) => [x * W, y * H]);
  if (!pts.length) return;
  ctx.save();
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = s.c;
  ctx.fillStyle = s.c;
  ctx.lineWidth = Math.max(2, (s.w || LINE) * W);
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  if (s.t === "pen") {
    ctx.beginPath();
    ctx.moveTo(pts[0][0], pts[0][1]);
    for (const [x, y] of pts.slice(1)) ctx.lineTo(x, y);
    ctx.stroke();
  } else if (s.t === "rect" && pts.length === 2) {
    const [[x1, y1], [x2, y2]] = pts;
    ctx.strokeRect(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1));
  } else if (s.t === "arrow" && pts.length === 2) {
    const [[x1, y1], [x2, y2]] = pts;
    const angle = Math.atan2(y2 - y1, x2 - x1);
    const head = Math.max(10, 0.025 * W);
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x2, y2);
    for (const side of [-1, 1]) {
      ctx.moveTo(x2, y2);
      ctx.lineTo(x2 - head * Math.cos(angle + side * 0.45), y2 - head * Math.sin(angle + side * 0.45));
    }
    ctx.stroke();
  } else if (s.t === "text") {
    const size = Math.max(12, 0.04 * H);
    ctx.font = `600 ${size}px system-ui, sans-serif`;
    ctx.textBaseline = "top";
    ctx.lineWidth = Math.max(2, size / 6);
    ctx.strokeStyle = "rgba(0,0,0,0.85)";
    ctx.strokeText(s.s || "", pts[0][0], pts[0][1]);
    ctx.fillText(s.s || "", pts[0][0], pts[0][1]);
  }
  ctx.restore();
}

// Keys typed into a text field are the field's; a focused slider or checkbox still lets the
// player's keys through (the handler prevents the slider's own arrow-key move).
function typing(t) {
  if (!t) return false;
  if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return true;
  return t.tagName === "INPUT" && !/^(range|checkbox|radio|button|submit|reset)$/i.test(t.type);
}

const clamp01 = (v) => Math.min(1, Math.max(0, v));
const round5 = (v) => Math.round(v * 1e5) / 1e5;

function button(active) {
  return {
    background: active ? "var(--accent-9)" : "var(--gray-a3)",
    color: active ? "var(--accent-contrast, white)" : "var(--gray-12)",
    border: "1px solid var(--gray-a5)",
    borderRadius: 6,
    padding: "3px 8px",
    fontSize: 12,
    cursor: "pointer",
    lineHeight: "18px",
  };
}

export function ReviewPlayer({
  media,
  compare,
  startFrame,
  initialFrame,
  loadSeq,
  annotations,
  canComment,
  canShare,
  draftReset,
  hydrated,
  liveEpoch,
  onFrame,
  onComment,
  onMediaExpired,
  onAttach,
  onLeave,
}) {
  const m = media || {};
  const b = compare && compare.version_id ? compare : null;
  const still = !!m.still;
  const playable = m.state === "READY" && (still ? !!m.poster : !!m.src);
  const fps = m.fps > 0 ? m.fps : 24;
  const first = startFrame || 0;

  const [, bump] = useReducer((x) => x + 1, 0);
  const trackA = useRef(null);
  const trackB = useRef(null);
  if (!trackA.current) trackA.current = new FrameTrack(bump);
  if (!trackB.current) trackB.current = new FrameTrack(bump);
  const A = trackA.current;
  const B = trackB.current;
  A.configure(fps, m.frames);
  if (b) B.configure(b.fps, b.frames);

  const [side, setSide] = useState("A"); // which version is on screen
  const [pendingSide, setPendingSide] = useState(null);
  const [reverse, setReverse] = useState(0); // J: frames per tick backwards (0: off)
  const [tool, setTool] = useState(null);
  const [colour, setColour] = useState(COLOURS[0]);
  const [draft, setDraft] = useState({ frame: null, shapes: [] });
  const [focus, setFocus] = useState(null); // comment id whose drawing is highlighted
  const [textAt, setTextAt] = useState(null);
  const [body, setBody] = useState("");
  const [atFrame, setAtFrame] = useState(true);
  const [forClient, setForClient] = useState(false);
  const [posting, setPosting] = useState(false);
  const [note, setNote] = useState("");
  const [size, setSize] = useState({ w: 0, h: 0 });

  const wrapRef = useRef(null);
  const canvasRef = useRef(null);
  const stroke = useRef(null); // the shape being drawn
  const callbacks = useRef({});
  callbacks.current = { onFrame, onComment, onMediaExpired, onAttach, onLeave, liveEpoch };

  const active = side === "B" && b ? B : A;
  const shown = still ? 0 : active.shown;
  const busy = !still && (active.seeking || !active.ready || active.shown < 0);
  const playing = !still && (active.playing || reverse !== 0);
  const stateLabel = !playable ? "unavailable" : playing ? "playing" : busy ? "seeking" : "ready";

  // ---------------------------------------------------------------- lifecycle with Python

  const wasHydrated = useRef(false);
  useEffect(() => {
    if (hydrated && !wasHydrated.current) callbacks.current.onAttach?.();
    wasHydrated.current = !!hydrated;
  }, [hydrated]);
  useEffect(() => () => callbacks.current.onLeave?.(callbacks.current.liveEpoch || ""), []);

  // A new version starts at initialFrame; new links for the same version keep the frame.
  const loadedVersion = useRef(null);
  useEffect(() => {
    if (loadedVersion.current !== m.version_id) {
      A.want = Math.max(0, initialFrame || 0);
      A.shown = -1;
      loadedVersion.current = m.version_id;
      setSide("A");
      setPendingSide(null);
      setReverse(0);
      setDraft({ frame: null, shapes: [] });
      setFocus(null);
    } else {
      A.want = Math.max(0, A.shown);
    }
  }, [m.version_id, m.src]); // eslint-disable-line react-hooks/exhaustive-deps

  // Python opened the room again (a reload may first show the state the tab had before,
  // then its load says where to start): go to initialFrame.
  const seenLoad = useRef(loadSeq);
  useEffect(() => {
    if (seenLoad.current === loadSeq) return;
    seenLoad.current = loadSeq;
    if (loadedVersion.current !== m.version_id) return; // the effect above starts it there
    setReverse(0);
    if (A.playing) A.video.pause();
    A.seek(Math.max(0, initialFrame || 0));
  }, [loadSeq]); // eslint-disable-line react-hooks/exhaustive-deps

  // Links expire: ask for new ones two minutes before, or at once when the video fails.
  const lastAsk = useRef(0);
  const askForLinks = useCallback(() => {
    if (Date.now() - lastAsk.current < 20000) return;
    lastAsk.current = Date.now();
    callbacks.current.onMediaExpired?.();
  }, []);
  useEffect(() => {
    if (!m.expires) return undefined;
    const wait = Math.max(5000, m.expires - Date.now() - 120000);
    const t = setTimeout(askForLinks, wait);
    return () => clearTimeout(t);
  }, [m.expires, askForLinks]);

  // The frame on screen goes to Python (comments at this frame light up) and into the URL
  // (?frame=1012 reopens here), at most every FRAME_EVENT_MS.
  const sent = useRef({ frame: null, at: 0, timer: null });
  useEffect(() => {
    if (shown < 0 || busy) return undefined;
    const s = sent.current;
    const send = () => {
      s.timer = null;
      if (s.frame === shown) return;
      s.frame = shown;
      s.at = performance.now();
      callbacks.current.onFrame?.(shown);
      try {
        const url = new URL(window.location.href);
        url.searchParams.set("frame", String(first + shown));
        window.history.replaceState(window.history.state, "", url);
      } catch (_e) {
        // no history (tests in odd contexts): the frame just is not in the URL
      }
    };
    clearTimeout(s.timer);
    const since = performance.now() - s.at;
    if (since >= FRAME_EVENT_MS) send();
    else s.timer = setTimeout(send, FRAME_EVENT_MS - since);
    return undefined;
  }, [shown, busy, first]);

  // The composer is cleared when Python saved the comment.
  const firstReset = useRef(draftReset);
  useEffect(() => {
    if (draftReset === firstReset.current) return;
    firstReset.current = draftReset;
    setBody("");
    setDraft({ frame: null, shapes: [] });
    setTool(null);
    setTextAt(null);
    setPosting(false);
    setNote("");
  }, [draftReset]);
  useEffect(() => {
    if (!posting) return undefined;
    const t = setTimeout(() => setPosting(false), 5000);
    return () => clearTimeout(t);
  }, [posting]);

  // ---------------------------------------------------------------- transport

  const stopAll = useCallback(() => {
    setReverse(0);
    A.pause();
    if (b) B.pause();
  }, [A, B, b]);

  const goTo = useCallback(
    (n) => {
      if (still) return;
      setReverse(0);
      const tr = side === "B" && b ? B : A;
      if (tr.playing) tr.video.pause();
      tr.seek(n);
      const other = tr === A ? (b ? B : null) : A;
      if (other && other.ready) {
        if (other.playing) other.video.pause();
        other.seek(tr.clamp(n));
      }
    },
    [still, side, A, B, b],
  );

  const step = useCallback((delta) => goTo((side === "B" && b ? B : A).base + delta), [goTo, side, A, B, b]);

  const togglePlay = useCallback(() => {
    if (still || !playable) return;
    const tr = side === "B" && b ? B : A;
    if (tr.playing || reverse) stopAll();
    else tr.play(1);
  }, [still, playable, side, A, B, b, reverse, stopAll]);

  const shuttle = useCallback(
    (dir) => {
      if (still || !playable) return;
      const tr = side === "B" && b ? B : A;
      if (dir > 0) {
        setReverse(0);
        const rate = tr.playing ? Math.min(4, tr.video.playbackRate * 2) : 1;
        tr.play(rate);
      } else {
        if (tr.playing) tr.pause();
        setReverse((r) => (r ? Math.min(4, r * 2) : 1));
      }
    },
    [still, playable, side, A, B, b],
  );

  // J: backwards, one seek at a time (browsers do not play backwards).
  useEffect(() => {
    if (!reverse) return undefined;
    const tr = side === "B" && b ? B : A;
    let t = null;
    const tick = () => {
      if (!tr.seeking) {
        if (tr.base <= 0) {
          setReverse(0);
          return;
        }
        tr.seek(tr.base - reverse);
      }
      t = setTimeout(tick, 1000 / tr.fps);
    };
    tick();
    return () => clearTimeout(t);
  }, [reverse, side, A, B, b]);

  // A/B: the other version at the same frame; it is swapped in once it shows that frame.
  const toggleCompare = useCallback(() => {
    if (!b || still) return;
    stopAll();
    const from = side === "B" ? B : A;
    const to = side === "B" ? A : B;
    to.seek(to.clamp(from.base));
    setPendingSide(side === "B" ? "A" : "B");
  }, [b, still, side, A, B, stopAll]);
  useEffect(() => {
    if (!pendingSide) return;
    const to = pendingSide === "B" ? B : A;
    if (!to.seeking && to.shown >= 0) {
      setSide(pendingSide);
      setPendingSide(null);
    }
  });

  // ---------------------------------------------------------------- keys

  const keys = useRef(null);
  keys.current = (e) => {
    if (typing(e.target)) return;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") {
      if (draft.shapes.length) {
        e.preventDefault();
        undo();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const handled = {
      ArrowLeft: () => step(e.shiftKey ? -10 : -1),
      ArrowRight: () => step(e.shiftKey ? 10 : 1),
      " ": togglePlay,
      Home: () => goTo(0),
      End: () => goTo(A.frames - 1),
      j: () => shuttle(-1),
      J: () => shuttle(-1),
      k: stopAll,
      K: stopAll,
      l: () => shuttle(1),
      L: () => shuttle(1),
      b: toggleCompare,
      B: toggleCompare,
      Escape: () => {
        setTool(null);
        setTextAt(null);
      },
    }[e.key];
    if (!handled) return;
    e.preventDefault();
    handled();
  };
  useEffect(() => {
    const onKey = (e) => keys.current(e);
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  // A comment clicked in the list: its frame, its drawing.
  useEffect(() => {
    const onClick = (e) => {
      const el = e.target && e.target.closest ? e.target.closest("[data-seek-frame]") : null;
      if (!el) return;
      const frame = parseInt(el.getAttribute("data-seek-frame"), 10);
      const id = parseInt(el.getAttribute("data-comment-id") || "0", 10);
      setFocus(id || null);
      if (frame >= 0) {
        setSide("A");
        setPendingSide(null);
        goToRef.current(frame);
      }
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, []);
  const goToRef = useRef(goTo);
  goToRef.current = (n) => {
    setReverse(0);
    if (A.playing) A.video.pause();
    A.seek(n);
  };

  // ---------------------------------------------------------------- drawing

  const drawFrame = still ? 0 : shown;
  const saved = side === "A" ? (annotations || []).filter((a) => a.frame === drawFrame && !busy) : [];
  const draftHere = side === "A" && draft.frame === drawFrame && !busy ? draft.shapes : [];
  const shapeCount = saved.reduce((n, a) => n + (a.shapes || []).length, 0) + draftHere.length;

  const redraw = useCallback(() => {
    const c = canvasRef.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const W = c.clientWidth;
    const H = c.clientHeight;
    if (c.width !== Math.round(W * dpr) || c.height !== Math.round(H * dpr)) {
      c.width = Math.round(W * dpr);
      c.height = Math.round(H * dpr);
    }
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    for (const a of saved) {
      const alpha = focus && a.comment_id !== focus ? 0.45 : 1;
      for (const s of a.shapes || []) drawShape(ctx, s, W, H, alpha);
    }
    for (const s of draftHere) drawShape(ctx, s, W, H, 1);
    if (stroke.current) drawShape(ctx, stroke.current, W, H, 1);
  });
  useEffect(() => redraw());

  const canDraw = !!canComment && playable && side === "A";
  const point = (e) => {
    const r = canvasRef.current.getBoundingClientRect();
    return [round5(clamp01((e.clientX - r.left) / r.width)), round5(clamp01((e.clientY - r.top) / r.height))];
  };

  const addShape = (shape) => {
    setDraft((d) => ({ frame: drawFrame, shapes: [...(d.frame === drawFrame ? d.shapes : []), shape] }));
  };

  const onPointerDown = (e) => {
    if (!canDraw || !tool) return;
    e.preventDefault();
    if (playing) {
      stopAll();
      return; // draw on the frame it stopped on
    }
    if (busy) return;
    if (draft.shapes.length && draft.frame !== drawFrame) {
      goToRef.current(draft.frame); // one drawing per comment: back to its frame
      return;
    }
    const p = point(e);
    if (tool === "text") {
      setTextAt(p);
      return;
    }
    canvasRef.current.setPointerCapture?.(e.pointerId);
    stroke.current = { t: tool, c: colour, w: LINE, p: tool === "pen" ? [p] : [p, p] };
    redraw();
  };
  const onPointerMove = (e) => {
    const s = stroke.current;
    if (!s) return;
    const p = point(e);
    if (s.t === "pen") {
      const [lx, ly] = s.p[s.p.length - 1];
      if (Math.hypot(p[0] - lx, p[1] - ly) > 0.0015 && s.p.length < 2000) s.p.push(p);
    } else {
      s.p[1] = p;
    }
    redraw();
  };
  const onPointerUp = () => {
    const s = stroke.current;
    stroke.current = null;
    if (!s) return;
    const [a, z] = [s.p[0], s.p[s.p.length - 1]];
    const long = Math.hypot(z[0] - a[0], z[1] - a[1]) > 0.004;
    if (s.t === "pen" && s.p.length < 2) s.p.push([...a]);
    if (s.t === "pen" || long) addShape(s);
    else redraw();
  };
  const commitText = (value) => {
    const text = (value || "").trim();
    if (text && textAt) addShape({ t: "text", c: colour, p: [textAt], s: text.slice(0, 200) });
    setTextAt(null);
  };
  const undo = () => setDraft((d) => ({ frame: d.shapes.length > 1 ? d.frame : null, shapes: d.shapes.slice(0, -1) }));
  const clearDraft = () => setDraft({ frame: null, shapes: [] });

  // ---------------------------------------------------------------- posting

  const commentFrame = draft.shapes.length ? draft.frame : atFrame && playable ? (still ? 0 : Math.max(0, shown)) : -1;
  const post = () => {
    if (posting) return;
    if (!body.trim()) {
      setNote("Write something first.");
      return;
    }
    setNote("");
    setPosting(true);
    const shapes = draft.shapes.length ? JSON.stringify(draft.shapes) : "";
    callbacks.current.onComment?.(body, commentFrame, shapes, !!forClient);
  };

  // ---------------------------------------------------------------- layout

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return undefined;
    const fit = () => {
      const ar = m.width > 0 && m.height > 0 ? m.width / m.height : 16 / 9;
      const maxH = Math.max(200, window.innerHeight * 0.62);
      const w = Math.min(el.clientWidth, maxH * ar);
      setSize({ w: Math.floor(w), h: Math.floor(w / ar) });
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    window.addEventListener("resize", fit);
    return () => {
      ro.disconnect();
      window.removeEventListener("resize", fit);
    };
  }, [m.width, m.height]);

  const refA = useCallback((el) => A.attach(el), [A]);
  const refB = useCallback((el) => B.attach(el), [B]);
  useEffect(() => () => {
    A.detach();
    B.detach();
  }, [A, B]);

  const videoStyle = (visible) => ({
    position: "absolute",
    inset: 0,
    width: "100%",
    height: "100%",
    objectFit: "fill",
    background: "black",
    visibility: visible ? "visible" : "hidden",
  });
  const onVideoError = () => askForLinks();

  let message = null;
  if (m.state === "QUEUED") message = "Waiting for the media pipeline…";
  else if (m.state === "PROCESSING") message = "Processing: making the proxy, thumbnail and poster…";
  else if (m.state === "FAILED") message = `Processing failed: ${m.error || "unknown reason"}`;
  else if (!playable) message = "This version has no playable media.";

  const frameLabel = shown >= 0 ? String(first + shown) : "—";
  const tc = shown >= 0 ? timecode(shown, still ? fps : active.fps) : "--:--:--:--";

  return (
    <div
      id="review-player"
      data-state={stateLabel}
      data-frame={shown}
      data-side={side}
      data-version={side === "B" && b ? b.version_id : m.version_id}
      style={{ display: "flex", flexDirection: "column", gap: 8, width: "100%" }}
    >
      <div ref={wrapRef} style={{ width: "100%", display: "flex", justifyContent: "center" }}>
        <div
          id="player-stage"
          style={{
            position: "relative",
            width: size.w || "100%",
            height: size.h || 320,
            background: "black",
            borderRadius: 6,
            overflow: "hidden",
          }}
          onClick={(e) => {
            if (!tool && e.target === canvasRef.current) togglePlay();
          }}
        >
          {playable && !still && (
            <video
              id="player-video-a"
              ref={refA}
              src={m.src}
              poster={m.poster || undefined}
              preload="auto"
              playsInline
              style={videoStyle(side === "A")}
              onError={onVideoError}
            />
          )}
          {playable && !still && b && b.src && (
            <video
              id="player-video-b"
              ref={refB}
              src={b.src}
              preload="auto"
              playsInline
              muted
              style={videoStyle(side === "B")}
              onError={onVideoError}
            />
          )}
          {playable && still && (
            <img
              id="player-still"
              src={side === "B" && b ? b.poster : m.poster}
              alt={m.label}
              style={{ ...videoStyle(true), objectFit: "fill" }}
              onError={onVideoError}
            />
          )}
          {message && (
            <div
              id="player-message"
              data-processing={m.state}
              style={{
                position: "absolute",
                inset: 0,
                display: "flex",
                alignItems: "center",
                justifyContent: "center",
                color: "var(--gray-11)",
                padding: 24,
                textAlign: "center",
                fontSize: 14,
              }}
            >
              {message}
            </div>
          )}
          {playable && (
            <canvas
              id="player-canvas"
              ref={canvasRef}
              data-shapes={shapeCount}
              data-focus={focus || ""}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerUp}
              onPointerCancel={onPointerUp}
              style={{
                position: "absolute",
                inset: 0,
                width: "100%",
                height: "100%",
                cursor: canDraw && tool ? (tool === "text" ? "text" : "crosshair") : "default",
                touchAction: "none",
              }}
            />
          )}
          {textAt && (
            <input
              id="player-text-input"
              autoFocus
              placeholder="Text, then Enter"
              maxLength={200}
              onKeyDown={(e) => {
                if (e.key === "Enter") commitText(e.currentTarget.value);
                if (e.key === "Escape") setTextAt(null);
                e.stopPropagation();
              }}
              onBlur={(e) => commitText(e.currentTarget.value)}
              style={{
                position: "absolute",
                left: `${textAt[0] * 100}%`,
                top: `${textAt[1] * 100}%`,
                background: "rgba(0,0,0,0.6)",
                color: colour,
                border: `1px solid ${colour}`,
                borderRadius: 4,
                padding: "2px 4px",
                fontSize: 14,
                minWidth: 140,
              }}
            />
          )}
        </div>
      </div>

      {playable && !still && (
        <input
          id="player-scrub"
          type="range"
          min={0}
          max={Math.max(0, active.frames - 1)}
          step={1}
          value={active.seeking && active.target !== null ? active.target : Math.max(0, shown)}
          onChange={(e) => goTo(parseInt(e.target.value, 10))}
          style={{ width: "100%" }}
        />
      )}

      <div style={{ display: "flex", alignItems: "center", gap: 6, flexWrap: "wrap" }}>
        {playable && !still && (
          <>
            <button type="button" id="player-home" style={button(false)} onClick={() => goTo(0)} title="First frame (Home)">
              |◀
            </button>
            <button type="button" id="player-back" style={button(false)} onClick={() => step(-1)} title="Previous frame (←)">
              ◀ 1
            </button>
            <button type="button" id="player-play" style={button(playing)} onClick={togglePlay} title="Play / pause (Space)">
              {playing ? "Pause" : "Play"}
            </button>
            <button type="button" id="player-forward" style={button(false)} onClick={() => step(1)} title="Next frame (→)">
              1 ▶
            </button>
            <button type="button" id="player-end" style={button(false)} onClick={() => goTo(A.frames - 1)} title="Last frame (End)">
              ▶|
            </button>
          </>
        )}
        <span
          id="player-frame"
          style={{ fontFamily: "ui-monospace, monospace", fontSize: 18, fontWeight: 600, minWidth: 56 }}
        >
          {frameLabel}
        </span>
        <span id="player-timecode" style={{ fontFamily: "ui-monospace, monospace", fontSize: 13, color: "var(--gray-11)" }}>
          {tc}
        </span>
        {!still && playable && (
          <span style={{ fontSize: 12, color: "var(--gray-10)" }}>
            {first}–{first + A.frames - 1} · {Math.round(fps * 1000) / 1000} fps
          </span>
        )}
        <span style={{ flex: 1 }} />
        {b && playable && (
          // which side is on screen: beside the switch, never over the picture (burn-ins)
          <span
            id="player-side"
            style={{
              fontSize: 12,
              color: side === "B" ? "var(--accent-11)" : "var(--gray-11)",
              whiteSpace: "nowrap",
            }}
          >
            {side === "B" ? `B · ${b.label}` : `A · ${m.label}`}
            {pendingSide ? " …" : ""}
          </span>
        )}
        {b && playable && (
          <button type="button" id="player-compare" style={button(side === "B")} onClick={toggleCompare} title="B">
            A/B {b.label}
          </button>
        )}
      </div>
      {playable && !still && (
        <div id="player-keys" style={{ fontSize: 11, color: "var(--gray-10)" }}>
          {KEYS_HELP}
          {b ? COMPARE_HELP : ""}
        </div>
      )}

      {canComment && (
        <div
          id="player-composer"
          style={{
            display: "flex",
            flexDirection: "column",
            gap: 6,
            border: "1px solid var(--gray-a5)",
            borderRadius: 8,
            padding: 8,
          }}
        >
          {playable && (
            <div style={{ display: "flex", gap: 4, alignItems: "center", flexWrap: "wrap" }}>
              {TOOLS.map(([key, label]) => (
                <button
                  type="button"
                  key={key}
                  data-tool={key}
                  className="player-tool"
                  disabled={!canDraw}
                  style={button(tool === key)}
                  onClick={() => setTool(tool === key ? null : key)}
                >
                  {label}
                </button>
              ))}
              <span style={{ width: 8 }} />
              {COLOURS.map((c) => (
                <button
                  type="button"
                  key={c}
                  data-colour={c}
                  className="player-colour"
                  aria-label={`colour ${c}`}
                  onClick={() => setColour(c)}
                  style={{
                    width: 18,
                    height: 18,
                    borderRadius: 9,
                    background: c,
                    border: colour === c ? "2px solid var(--gray-12)" : "1px solid var(--gray-a7)",
                    cursor: "pointer",
                  }}
                />
              ))}
              <span style={{ width: 8 }} />
              <button type="button" id="player-undo" style={button(false)} disabled={!draft.shapes.length} onClick={undo}>
                Undo
              </button>
              <button type="button" id="player-clear" style={button(false)} disabled={!draft.shapes.length} onClick={clearDraft}>
                Clear
              </button>
              {draft.shapes.length > 0 && (
                <span id="player-draft" style={{ fontSize: 12, color: "var(--gray-11)" }}>
                  {draft.shapes.length} shape{draft.shapes.length > 1 ? "s" : ""} on frame {first + draft.frame}
                </span>
              )}
            </div>
          )}
          <textarea
            id="player-comment"
            value={body}
            placeholder="Add a comment…  (Ctrl+Enter to post)"
            rows={2}
            maxLength={10000}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                post();
              }
            }}
            style={{
              width: "100%",
              resize: "vertical",
              background: "var(--color-surface, transparent)",
              color: "var(--gray-12)",
              border: "1px solid var(--gray-a6)",
              borderRadius: 6,
              padding: 6,
              fontFamily: "inherit",
              fontSize: 14,
            }}
          />
          <div style={{ display: "flex", alignItems: "center", gap: 12, flexWrap: "wrap", fontSize: 13 }}>
            {playable && !still && (
              <label style={{ display: "flex", gap: 4, alignItems: "center" }}>
                <input
                  id="player-at-frame"
                  type="checkbox"
                  checked={atFrame || draft.shapes.length > 0}
                  disabled={draft.shapes.length > 0}
                  onChange={(e) => setAtFrame(e.target.checked)}
                />
                at frame {commentFrame >= 0 ? first + commentFrame : "—"}
              </label>
            )}
            {canShare && (
              <label style={{ display: "flex", gap: 4, alignItems: "center" }}>
                <input id="player-for-client" type="checkbox" checked={forClient} onChange={(e) => setForClient(e.target.checked)} />
                client can see it
              </label>
            )}
            <span id="player-note" style={{ color: "var(--red-11)" }}>
              {note}
            </span>
            <span style={{ flex: 1 }} />
            <button type="button" id="player-post" style={button(true)} disabled={posting} onClick={post}>
              {posting ? "Posting…" : commentFrame >= 0 ? `Comment at ${first + commentFrame}` : "Comment on the version"}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
