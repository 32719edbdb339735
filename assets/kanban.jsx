// The kanban board: dnd-kit columns and cards, optimistic moves, and the live feed.
//
// Data flow (see feedback_app/live_boards.py):
// - `cards` + `epoch` arrive when the board (re)loads; the board keeps its own copy.
// - `feed` is a short window of numbered changes ({e: epoch, s: n, up: [cards], rm: [ids]})
//   pushed by the server for this board. Entries are applied once, in order; a gap (or a
//   `reload` entry) asks the server for the whole board again (`onGap`).
// - A drop moves the card at once and calls `onMove(id, status, afterId, beforeId)`. The server
//   answers through the feed: the card's real state, which is also how a refused move snaps
//   back.
// Cards are memoized: applying a change re-renders the cards it touches, not the board.
// Columns mount their first cards and more as they are scrolled (a 2,000-card board stays light).
import React, {
  createContext,
  memo,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from "react";
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  closestCorners,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  SortableContext,
  arrayMove,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useNavigate } from "react-router";

const STEP = 1024;
const DAY = 86400000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const trimSlash = (path) => (path || "").replace(/\/+$/, "");

// For tests and benchmarks: renders per card, changes applied, when the board was ready.
const probe = () => {
  if (typeof window === "undefined") return { renders: {} };
  window.__kanban = window.__kanban || { renders: {}, applied: 0, gaps: 0, loads: 0 };
  return window.__kanban;
};

const bySort = (byId) => (a, b) => byId[a].sort - byId[b].sort || a - b;

function insertSorted(ids, id, byId) {
  const cmp = bySort(byId);
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(ids[mid], id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return [...ids.slice(0, lo), id, ...ids.slice(lo)];
}

function fromCards(cards, columns) {
  const byId = {};
  const cols = {};
  for (const c of columns) cols[c.key] = [];
  for (const card of cards || []) {
    byId[card.id] = card;
    (cols[card.status] = cols[card.status] || []).push(card.id);
  }
  for (const key of Object.keys(cols)) cols[key].sort(bySort(byId));
  return { byId, cols };
}

function place(state, card, order) {
  const prev = state.byId[card.id];
  const byId = { ...state.byId, [card.id]: card };
  if (prev && prev.status === card.status && prev.sort === card.sort && !order) {
    return { byId, cols: state.cols };
  }
  const cols = { ...state.cols };
  if (prev) cols[prev.status] = (cols[prev.status] || []).filter((x) => x !== card.id);
  cols[card.status] = order || insertSorted(cols[card.status] || [], card.id, byId);
  return { byId, cols };
}

function drop(state, id) {
  const prev = state.byId[id];
  if (!prev) return state;
  const byId = { ...state.byId };
  delete byId[id];
  return { byId, cols: { ...state.cols, [prev.status]: state.cols[prev.status].filter((x) => x !== id) } };
}

function reducer(state, action) {
  switch (action.type) {
    case "reset":
      return fromCards(action.cards, action.columns);
    case "apply": {
      let next = state;
      for (const card of action.up || []) next = place(next, card);
      for (const id of action.rm || []) next = drop(next, id);
      return next;
    }
    case "local":
      return place(state, action.card, action.order);
    default:
      return state;
  }
}

// ---------------------------------------------------------------- presentation

// As state/formatting.type_label: "COMP" -> "Comp", but "FX" stays FX.
const typeLabel = (t) =>
  t === "FX" ? "FX" : (t || "").replace(/_/g, " ").toLowerCase().replace(/\b\w/g, (m) => m.toUpperCase());
const initials = (name) =>
  (name || "")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0])
    .join("")
    .toUpperCase();

function due(iso, done) {
  if (!iso) return null;
  const [y, m, d] = iso.split("-").map(Number);
  const day = new Date(y, m - 1, d);
  const now = new Date();
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const delta = Math.round((day - today) / DAY);
  const plain = `${MONTHS[m - 1]} ${String(d).padStart(2, "0")}${y === now.getFullYear() ? "" : ` ${y}`}`;
  let label = plain;
  if (!(done && delta < 0)) {
    if (delta === 0) label = "Today";
    else if (delta === 1) label = "Tomorrow";
    else if (delta === -1) label = "Yesterday";
    else if (delta < 0 && delta > -7) label = `${-delta}d overdue`;
  }
  const endOfDay = new Date(y, m - 1, d, 23, 59, 59, 999);
  let tone = "ok";
  if (!done && endOfDay < now) tone = "overdue";
  else if (!done && endOfDay - now <= 2 * DAY) tone = "soon";
  return { label, tone };
}

const TONE = { overdue: "var(--red-11)", soon: "var(--amber-11)", ok: "var(--gray-11)" };
const APPROVAL = {
  INTERNAL_APPROVED: ["Approved", "var(--green-11)", "var(--green-a3)"],
  CLIENT_APPROVED: ["Client approved", "var(--green-11)", "var(--green-a4)"],
  CHANGES_REQUESTED: ["Changes requested", "var(--red-11)", "var(--red-a3)"],
};

const Bubble = () => (
  <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true" style={{ verticalAlign: "-2px" }}>
    <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z" />
  </svg>
);

const cardBox = {
  background: "var(--color-panel-solid, var(--gray-1))",
  border: "1px solid var(--gray-a5)",
  borderRadius: "var(--radius-3, 8px)",
  padding: "8px 10px",
  fontSize: "var(--font-size-1, 12px)",
  lineHeight: 1.35,
  userSelect: "none",
  touchAction: "manipulation",
};

// Thumbnails come second: they are shown once the board is interactive (`on`), so a big
// board's first render creates no <img> and starts no download. A thumbnail link expires
// (media_access signs it for an hour or so): a board left open longer asks for the whole board
// again, with fresh links, when one fails to load (`failed`).
const Thumbs = createContext({ on: false, failed: () => {} });
const thumbBox = { width: 64, height: 36, flex: "none", borderRadius: 4, background: "var(--gray-a3)" };

function linkExpired(src) {
  try {
    const url = new URL(src, window.location.href);
    const exp = Number(url.searchParams.get("exp")); // the app's own /media links
    if (exp) return exp * 1000 <= Date.now() + 5000;
    const date = url.searchParams.get("X-Amz-Date"); // S3 presigned links
    const ttl = Number(url.searchParams.get("X-Amz-Expires"));
    const m = date && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    if (m && ttl) return Date.UTC(m[1], m[2] - 1, m[3], m[4], m[5], m[6]) + ttl * 1000 <= Date.now() + 5000;
    return true;
  } catch {
    return false;
  }
}

// Small and lazy: the browser fetches a thumbnail only when its card is near the screen, and
// the fixed size keeps the card's height before and while it loads. Only this component reads
// the context: turning thumbnails on re-renders the thumbnails, not the cards.
function Thumb({ src }) {
  const [failed, setFailed] = useState(false);
  const { on, failed: onFailed } = useContext(Thumbs);
  if (failed) return null;
  if (!on) return <span className="kanban-card-thumb-slot" style={thumbBox} />;
  return (
    <img
      className="kanban-card-thumb"
      src={src}
      alt=""
      width={64}
      height={36}
      loading="lazy"
      decoding="async"
      draggable={false}
      onError={() => {
        setFailed(true);
        if (linkExpired(src)) onFailed();
      }}
      style={{ ...thumbBox, objectFit: "cover" }}
    />
  );
}

const menuButton = {
  border: "none",
  background: "transparent",
  color: "var(--gray-10)",
  cursor: "pointer",
  padding: "0 2px",
  lineHeight: 1,
  fontSize: 14,
  borderRadius: 4,
};

const CardView = memo(function CardView({ card, overlay, onMenu }) {
  const p = probe();
  if (!overlay) p.renders[card.id] = (p.renders[card.id] || 0) + 1;
  const d = due(card.due, card.status === "DONE");
  const approval = APPROVAL[card.approval];
  const type = typeLabel(card.type);
  // A task titled after its type ("Roto") says it once, as the title.
  const sameAsType = (card.title || "").trim().toLowerCase() === type.toLowerCase();
  return (
    <div style={{ display: "flex", flexDirection: "column", gap: 4 }}>
      <div style={{ display: "flex", alignItems: "flex-start", gap: 6 }}>
        {/* In a narrow column the type goes under the code rather than being cut. */}
        <span style={{ flex: 1, minWidth: 0, display: "flex", flexWrap: "wrap", columnGap: 6 }}>
          <span className="kanban-card-code" style={{ fontWeight: 700 }}>
            {card.code}
          </span>
          {sameAsType ? null : (
            <span className="kanban-card-type" style={{ color: "var(--gray-11)", whiteSpace: "nowrap" }}>
              {type}
            </span>
          )}
        </span>
        {card.version ? (
          <span
            className={card.shared ? "kanban-card-version kanban-card-shared" : "kanban-card-version"}
            title={card.shared ? "Shared with the client" : undefined}
            style={{
              color: card.shared ? "var(--violet-11)" : "var(--gray-11)",
              fontVariantNumeric: "tabular-nums",
              flexShrink: 0,
            }}
          >
            v{String(card.version).padStart(3, "0")}
          </span>
        ) : null}
        {onMenu ? (
          <button
            type="button"
            className="kanban-card-menu"
            aria-label="Card menu"
            style={{ ...menuButton, flexShrink: 0 }}
            onPointerDown={(e) => e.stopPropagation()}
            onKeyDown={(e) => e.stopPropagation()}
            onClick={(e) => {
              e.stopPropagation();
              const r = e.currentTarget.getBoundingClientRect();
              onMenu(card.id, r.right, r.bottom);
            }}
          >
            ⋯
          </button>
        ) : null}
      </div>
      <div style={{ display: "flex", alignItems: "flex-start", gap: 8 }}>
        <div
          className="kanban-card-title"
          style={{ flex: 1, minWidth: 0, fontSize: "var(--font-size-2, 14px)", fontWeight: 500, color: "var(--gray-12)" }}
        >
          {card.title}
        </div>
        {card.thumb ? <Thumb key={card.thumb} src={card.thumb} /> : null}
      </div>
      <div style={{ display: "flex", alignItems: "center", gap: 8, minHeight: 22 }}>
        {card.artist ? (
          <span
            className="kanban-card-artist"
            title={card.artist}
            style={{
              width: 22,
              height: 22,
              borderRadius: "50%",
              background: "var(--accent-a4)",
              color: "var(--accent-11)",
              display: "inline-flex",
              alignItems: "center",
              justifyContent: "center",
              fontSize: 10,
              fontWeight: 700,
            }}
          >
            {initials(card.artist)}
          </span>
        ) : null}
        {d ? (
          <span className="kanban-card-due" data-tone={d.tone} style={{ color: TONE[d.tone], fontWeight: 500 }}>
            {d.label}
          </span>
        ) : null}
        <span style={{ flex: 1 }} />
        {card.comments ? (
          <span className="kanban-card-comments" title={`${card.comments} comments`} style={{ color: "var(--gray-11)" }}>
            <Bubble /> {card.comments}
          </span>
        ) : null}
      </div>
      {approval ? (
        <span
          className="kanban-card-approval"
          data-approval={card.approval}
          style={{
            alignSelf: "flex-start",
            color: approval[1],
            background: approval[2],
            borderRadius: 4,
            padding: "0 6px",
            fontWeight: 500,
          }}
        >
          {approval[0]}
        </span>
      ) : null}
    </div>
  );
});

const SortableCard = memo(function SortableCard({ card, onOpen, onMenu, readOnly }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: card.id,
    disabled: readOnly || !card.drag,
  });
  const onKeyDown = (e) => {
    listeners?.onKeyDown?.(e);
    if (!e.defaultPrevented && e.key === "Enter") onOpen(card.id);
  };
  return (
    <div
      ref={setNodeRef}
      {...attributes}
      {...listeners}
      onKeyDown={onKeyDown}
      onClick={() => onOpen(card.id)}
      onContextMenu={(e) => {
        e.preventDefault();
        onMenu(card.id, e.clientX, e.clientY);
      }}
      className="kanban-card"
      data-task-id={card.id}
      data-status={card.status}
      data-draggable={card.drag && !readOnly ? "true" : "false"}
      style={{
        ...cardBox,
        transform: CSS.Translate.toString(transform),
        transition,
        opacity: isDragging ? 0.35 : 1,
        cursor: card.drag && !readOnly ? "grab" : "pointer",
        contentVisibility: "auto",
        containIntrinsicSize: "auto 84px",
      }}
    >
      <CardView card={card} onMenu={onMenu} />
    </div>
  );
});

// The card's menu (the ⋯ button or a right click): open the task or its review, and for the
// studio's leads Share With Client / Copy client link (state/share.py does the rest).
function CardMenu({ menu, card, canShare, onClose, onOpenTask, onShare, onCopyLink }) {
  const ref = useRef(null);
  useEffect(() => {
    const close = (e) => {
      if (e.type === "keydown" && e.key !== "Escape") return;
      if (e.type === "pointerdown" && ref.current && ref.current.contains(e.target)) return;
      onClose();
    };
    document.addEventListener("pointerdown", close, true);
    document.addEventListener("keydown", close, true);
    window.addEventListener("scroll", close, true);
    window.addEventListener("resize", close);
    return () => {
      document.removeEventListener("pointerdown", close, true);
      document.removeEventListener("keydown", close, true);
      window.removeEventListener("scroll", close, true);
      window.removeEventListener("resize", close);
    };
  }, [onClose]);
  useEffect(() => {
    ref.current?.querySelector("button:not([disabled])")?.focus();
  }, []);
  if (!card) return null;
  const label = card.version ? `v${String(card.version).padStart(3, "0")}` : "";
  const items = [{ key: "open", text: "Open task", run: () => onOpenTask(card.id) }];
  if (card.vid) items.push({ key: "review", text: `Review ${label}`, run: () => onOpenTask(card.id, card.vid) });
  if (canShare && card.vid) {
    if (card.shared) items.push({ key: "copy", text: "Copy client link", run: () => onCopyLink(card.vid) });
    else
      items.push({
        key: "share",
        text: card.vready ? "Share With Client" : "Share With Client (processing…)",
        disabled: !card.vready,
        run: () => onShare(card.vid),
        accent: true,
      });
  }
  const width = 210;
  const left = Math.max(8, Math.min(menu.x - width, window.innerWidth - width - 8));
  const top = Math.min(menu.y + 4, window.innerHeight - 44 * items.length - 8);
  return (
    <div
      ref={ref}
      role="menu"
      className="kanban-card-menu-list"
      data-task-id={card.id}
      style={{
        position: "fixed",
        left,
        top,
        width,
        zIndex: 50,
        background: "var(--color-panel-solid, var(--gray-2))",
        border: "1px solid var(--gray-a6)",
        borderRadius: 8,
        boxShadow: "0 8px 24px rgba(0,0,0,0.45)",
        padding: 4,
      }}
    >
      {items.map((it) => (
        <button
          key={it.key}
          type="button"
          role="menuitem"
          className={`kanban-menu-${it.key}`}
          disabled={it.disabled}
          onClick={() => {
            onClose();
            it.run();
          }}
          style={{
            display: "block",
            width: "100%",
            textAlign: "left",
            border: "none",
            background: "transparent",
            color: it.disabled ? "var(--gray-9)" : it.accent ? "var(--accent-11)" : "var(--gray-12)",
            padding: "6px 10px",
            borderRadius: 6,
            fontSize: 13,
            cursor: it.disabled ? "default" : "pointer",
          }}
          onMouseEnter={(e) => {
            if (!it.disabled) e.currentTarget.style.background = "var(--accent-a4)";
          }}
          onMouseLeave={(e) => {
            e.currentTarget.style.background = "transparent";
          }}
        >
          {it.text}
        </button>
      ))}
    </div>
  );
}

// A column renders its first cards and more as it is scrolled (a 2,000-card board would
// otherwise mount 2,000 sortables, and every drag would re-render them all).
const PAGE = 40;

const Column = memo(function Column({ column, ids, byId, onOpen, onMenu, readOnly, rendered }) {
  const { setNodeRef, isOver } = useDroppable({ id: `col:${column.key}`, data: { status: column.key } });
  const [limit, setLimit] = useState(PAGE);
  const bodyRef = useRef(null);
  const moreRef = useRef(null);
  const shown = ids.length > limit ? ids.slice(0, limit) : ids;
  rendered.current[column.key] = shown;
  const hasMore = shown.length < ids.length;
  useEffect(() => {
    if (!hasMore || !moreRef.current || typeof IntersectionObserver === "undefined") return undefined;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setLimit((l) => l + 2 * PAGE);
      },
      { root: bodyRef.current, rootMargin: "600px" },
    );
    io.observe(moreRef.current);
    return () => io.disconnect();
  }, [hasMore, limit]);
  const setBody = useCallback(
    (el) => {
      bodyRef.current = el;
      setNodeRef(el);
    },
    [setNodeRef],
  );
  return (
    <div
      className="kanban-column"
      data-column={column.key}
      style={{
        display: "flex",
        flexDirection: "column",
        minWidth: 0,
        background: isOver ? "var(--accent-a3)" : "var(--gray-a2)",
        border: "1px solid var(--gray-a4)",
        borderRadius: "var(--radius-4, 10px)",
        padding: 8,
        gap: 8,
      }}
    >
      <div style={{ display: "flex", alignItems: "center", gap: 6, padding: "0 2px" }}>
        <span style={{ fontWeight: 600, fontSize: "var(--font-size-2, 14px)", color: "var(--gray-12)" }}>
          {column.label}
        </span>
        <span
          className="kanban-count"
          style={{
            fontSize: 11,
            color: "var(--gray-11)",
            background: "var(--gray-a4)",
            borderRadius: 999,
            padding: "0 7px",
            fontVariantNumeric: "tabular-nums",
          }}
        >
          {ids.length}
        </span>
      </div>
      <SortableContext items={shown} strategy={verticalListSortingStrategy}>
        <div
          ref={setBody}
          className="kanban-column-body"
          style={{
            display: "flex",
            flexDirection: "column",
            gap: 8,
            minHeight: 120,
            maxHeight: "calc(100vh - 220px)",
            overflowY: "auto",
            flex: 1,
          }}
        >
          {shown.map((id) => (
            <SortableCard key={id} card={byId[id]} onOpen={onOpen} onMenu={onMenu} readOnly={readOnly} />
          ))}
          {hasMore ? (
            <div
              ref={moreRef}
              className="kanban-more"
              style={{ color: "var(--gray-10)", fontSize: 12, textAlign: "center", padding: 6 }}
            >
              {ids.length - shown.length} more…
            </div>
          ) : null}
        </div>
      </SortableContext>
    </div>
  );
});

function provisionalSort(before, after) {
  if (before !== undefined && after !== undefined) return (before + after) / 2;
  if (before !== undefined) return before + STEP;
  if (after !== undefined) return after - STEP;
  return 0;
}

export function KanbanBoard({
  cards,
  epoch,
  feed,
  columns,
  hydrated,
  routePath,
  readOnly,
  emptyText,
  onMove,
  onNeedBoard,
  onGap,
  onLeave,
  canShare,
  onShare,
  onCopyLink,
}) {
  const cols = columns || [];
  const [state, dispatch] = useReducer(reducer, undefined, () => ({ byId: {}, cols: {} }));
  const [active, setActive] = useState(null);
  const navigate = useNavigate();
  const epochRef = useRef(null);
  const lastSeq = useRef(0);
  const waitingRefetch = useRef(false);
  const lastDragEnd = useRef(0);
  const feedRef = useRef(feed);
  feedRef.current = feed;
  const stateRef = useRef(state);
  stateRef.current = state;
  const lastThumbRefetch = useRef(0);
  const [thumbsOn, setThumbsOn] = useState(false);
  const rendered = useRef({}); // column key -> ids it renders now
  const readyPending = useRef(false);
  const callbacks = useRef({});
  callbacks.current = { onMove, onNeedBoard, onGap, onLeave, onShare, onCopyLink };
  const [menu, setMenu] = useState(null); // {id, x, y}: the card menu that is open
  const onMenu = useCallback((id, x, y) => setMenu({ id, x, y }), []);
  const closeMenu = useCallback(() => setMenu(null), []);

  // Load when the page is hydrated: on mount and after every (re)connect. Mounted by a
  // client-side navigation (a link to a board page), `hydrated` is still the last page's
  // (and the server's route, `routePath`, still that page's path); Reflex then marks the
  // page unhydrated and runs its on_load: the board loads when that hydration ends, not
  // on mount as well (it loaded twice, the first time for a route the server had not seen).
  // Should no such hydration come, the board loads once the server's route is this page's,
  // if still hydrated then (Reflex's unhydrated mark comes first when it does come).
  const wasHydrated = useRef(false);
  const mounted = useRef(false);
  const arriving = useRef(false);
  useEffect(() => {
    const here = trimSlash(routePath) === trimSlash(window.location.pathname);
    if (!mounted.current) arriving.current = !here;
    mounted.current = true;
    let load = false;
    if (arriving.current) {
      if (here) {
        arriving.current = false;
        load = !!hydrated;
      }
    } else {
      load = hydrated && !wasHydrated.current;
    }
    if (load) {
      probe().loads += 1;
      probe().askedAt = performance.now();
      callbacks.current.onNeedBoard?.(window.location.search);
    }
    wasHydrated.current = !!hydrated && !arriving.current;
  }, [hydrated, routePath]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => () => callbacks.current.onLeave?.(), []);

  const applyFeed = useCallback((entries) => {
    if (!entries || !entries.length || waitingRefetch.current || !epochRef.current) return;
    const mine = entries.filter((e) => e.e === epochRef.current && e.s > lastSeq.current).sort((a, b) => a.s - b.s);
    const p = probe();
    for (const e of mine) {
      if (e.s !== lastSeq.current + 1 || e.reload) {
        waitingRefetch.current = true;
        p.gaps += 1;
        callbacks.current.onGap?.();
        return;
      }
      dispatch({ type: "apply", up: e.up, rm: e.rm });
      lastSeq.current = e.s;
      p.applied += 1;
      p.lastApplied = performance.now();
    }
  }, []);

  useEffect(() => {
    if (!epoch || epoch === epochRef.current) return;
    probe().cardsAt = performance.now();
    epochRef.current = epoch;
    lastSeq.current = 0;
    waitingRefetch.current = false;
    dispatch({ type: "reset", cards, columns: cols });
    applyFeed(feedRef.current);
    probe().epoch = epoch;
    readyPending.current = true;
  }, [epoch, cards]); // eslint-disable-line react-hooks/exhaustive-deps

  // Ready = the cards of this load are committed and the frame showing them is painted.
  useEffect(() => {
    if (!readyPending.current) return;
    readyPending.current = false;
    requestAnimationFrame(() =>
      setTimeout(() => {
        probe().readyAt = performance.now();
        setThumbsOn(true);
      }, 0),
    );
  }, [state]);

  useEffect(() => applyFeed(feed), [feed, applyFeed]);

  // Expired thumbnail links: one refetch brings fresh ones (at most once a minute).
  const onThumbFailed = useCallback(() => {
    const now = Date.now();
    if (waitingRefetch.current || now - lastThumbRefetch.current < 60000) return;
    lastThumbRefetch.current = now;
    waitingRefetch.current = true;
    callbacks.current.onGap?.();
  }, []);
  const thumbs = useMemo(() => ({ on: thumbsOn, failed: onThumbFailed }), [thumbsOn, onThumbFailed]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const onOpen = useCallback(
    (id) => {
      if (performance.now() - lastDragEnd.current < 300) return; // the click that ends a drag
      navigate(`/tasks/${id}`);
    },
    [navigate],
  );
  const onOpenTask = useCallback(
    (id, versionId) => navigate(versionId ? `/review/${versionId}` : `/tasks/${id}`),
    [navigate],
  );
  const share = useCallback((vid) => callbacks.current.onShare?.(vid), []);
  const copyLink = useCallback((vid) => callbacks.current.onCopyLink?.(vid), []);

  const onDragStart = useCallback(({ active: a }) => setActive(a.id), []);
  const onDragCancel = useCallback(() => setActive(null), []);
  const onDragEnd = useCallback(({ active: a, over }) => {
    setActive(null);
    lastDragEnd.current = performance.now();
    if (!over) return;
    const { byId, cols: order } = stateRef.current;
    const id = a.id;
    const card = byId[id];
    if (!card) return;
    let dest;
    if (String(over.id).startsWith("col:")) {
      // Dropped on the column itself, below its cards: right after the last card it shows.
      const to = over.data.current.status;
      const others = (order[to] || []).filter((x) => x !== id);
      const seen = (rendered.current[to] || []).filter((x) => x !== id);
      const at = seen.length ? others.indexOf(seen[seen.length - 1]) + 1 : 0;
      dest = [...others.slice(0, at), id, ...others.slice(at)];
      if (to === card.status && dest.every((x, i) => x === order[to][i])) return;
    } else {
      const overCard = byId[over.id];
      if (!overCard) return;
      const base = order[overCard.status];
      const overIndex = base.indexOf(over.id);
      if (overCard.status === card.status) {
        const oldIndex = base.indexOf(id);
        if (oldIndex === overIndex) return;
        dest = arrayMove(base, oldIndex, overIndex); // the reorder the person saw
      } else {
        dest = [...base.slice(0, overIndex), id, ...base.slice(overIndex)];
      }
    }
    const to = byId[over.id]?.status ?? over.data.current.status;
    const pos = dest.indexOf(id);
    const afterId = pos > 0 ? dest[pos - 1] : 0;
    const beforeId = pos < dest.length - 1 ? dest[pos + 1] : 0;
    const sort = provisionalSort(byId[afterId]?.sort, byId[beforeId]?.sort);
    dispatch({ type: "local", card: { ...card, status: to, sort }, order: dest });
    callbacks.current.onMove?.(id, to, afterId, beforeId);
  }, []);

  if (!epoch && !epochRef.current) {
    // (After a reconnect the epoch is empty until the board reloads: keep showing the old one.)
    return (
      <div id="kanban-board" data-state="loading" style={{ padding: 24, color: "var(--gray-11)" }}>
        Loading board…
      </div>
    );
  }
  const total = Object.keys(state.byId).length;
  const activeCard = active !== null ? state.byId[active] : null;
  return (
    <Thumbs.Provider value={thumbs}>
      <div id="kanban-board" data-state="ready" data-epoch={epochRef.current}>
        {total === 0 && emptyText ? (
          <div style={{ padding: "4px 2px 12px", color: "var(--gray-11)", fontSize: 14 }}>{emptyText}</div>
        ) : null}
        <DndContext
          sensors={sensors}
          collisionDetection={closestCorners}
          onDragStart={onDragStart}
          onDragEnd={onDragEnd}
          onDragCancel={onDragCancel}
        >
          <div
            style={{
              display: "grid",
              gridTemplateColumns: `repeat(${cols.length}, minmax(180px, 1fr))`,
              gap: 10,
              alignItems: "start",
              overflowX: "auto",
            }}
          >
            {cols.map((c) => (
              <Column
                key={c.key}
                column={c}
                ids={state.cols[c.key] || []}
                byId={state.byId}
                onOpen={onOpen}
                onMenu={onMenu}
                readOnly={readOnly}
                rendered={rendered}
              />
            ))}
          </div>
          <DragOverlay dropAnimation={null}>
            {activeCard ? (
              <div style={{ ...cardBox, boxShadow: "0 8px 24px rgba(0,0,0,.35)", cursor: "grabbing" }}>
                <CardView card={activeCard} overlay />
              </div>
            ) : null}
          </DragOverlay>
        </DndContext>
        {menu ? (
          <CardMenu
            menu={menu}
            card={state.byId[menu.id]}
            canShare={!!canShare}
            onClose={closeMenu}
            onOpenTask={onOpenTask}
            onShare={share}
            onCopyLink={copyLink}
          />
        ) : null}
      </div>
    </Thumbs.Provider>
  );
}
