// Upload a new version: a button, or a file dropped anywhere on the page.
//
// The file goes as the raw body of one XMLHttpRequest (its upload events give the progress;
// abort() cancels, and the server then removes whatever it stored: no version, no file). Size
// and kind are checked here first with the server's own limits (services/uploads.py limits());
// the server checks again and its refusal ({"error": "..."}) is shown as it is.
//
// Once the version exists, a small status beside the button follows it through the media
// pipeline from `versions` (the room's versions, [{id, state, error}], which the review hub
// refreshes live): processing, then ready (and it goes away by itself) or failed with the
// reason (it stays until closed). It sits in the page's header, over nothing.
//
// Props: uploadUrl (POST /api/tasks/<id>/versions), maxBytes, extensions, accept, label,
// taskLabel, disabled, versions. Event: onUploaded(versionId, label).
import React, { useCallback, useEffect, useRef, useState } from "react";

function human(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

function hasFiles(e) {
  const types = e.dataTransfer ? Array.from(e.dataTransfer.types || []) : [];
  return types.includes("Files");
}

const card = {
  position: "fixed",
  right: 24,
  top: 72, // toasts live at the bottom right
  width: 380,
  zIndex: 50,
  background: "var(--color-panel-solid, #18191b)",
  color: "var(--gray-12)",
  border: "1px solid var(--gray-a6)",
  borderRadius: 10,
  padding: 14,
  boxShadow: "0 10px 30px rgba(0,0,0,0.45)",
  display: "flex",
  flexDirection: "column",
  gap: 8,
  fontSize: 13,
};

const btn = (primary) => ({
  background: primary ? "var(--accent-9)" : "var(--gray-a3)",
  color: primary ? "var(--accent-contrast, white)" : "var(--gray-12)",
  border: "1px solid var(--gray-a5)",
  borderRadius: 6,
  padding: "5px 12px",
  fontSize: 13,
  cursor: "pointer",
});

const READY_SHOWN_MS = 5000; // how long "ready" stays beside the button

export function VersionUpload({
  uploadUrl,
  maxBytes,
  extensions,
  accept,
  label,
  taskLabel,
  disabled,
  versions,
  onUploaded,
}) {
  const [file, setFile] = useState(null);
  const [move, setMove] = useState(true);
  const [notify, setNotify] = useState(true);
  const [note, setNote] = useState("");
  const [phase, setPhase] = useState("idle"); // idle, ready, sending, done, error, cancelled
  const [message, setMessage] = useState("");
  const [progress, setProgress] = useState({ loaded: 0, total: 0, speed: 0 });
  const [dragging, setDragging] = useState(false);
  const [uploaded, setUploaded] = useState(null); // {id, label} of the version just made
  const inputRef = useRef(null);
  const xhrRef = useRef(null);
  const samples = useRef([]);
  const callbacks = useRef({});
  callbacks.current = { onUploaded };

  const refuse = (text) => {
    setFile(null);
    setPhase("error");
    setMessage(text);
  };

  const choose = useCallback(
    (f) => {
      if (!f || phase === "sending") return;
      const exts = (extensions || []).map((e) => String(e).toLowerCase());
      const dot = f.name.lastIndexOf(".");
      const ext = dot > 0 ? f.name.slice(dot + 1).toLowerCase() : "";
      if (!exts.includes(ext)) {
        refuse(`FeedBack takes ${exts.map((e) => e.toUpperCase()).join(", ")} files; "${f.name}" is not one.`);
        return;
      }
      if (f.size === 0) {
        refuse(`"${f.name}" is empty.`);
        return;
      }
      if (maxBytes && f.size > maxBytes) {
        refuse(`"${f.name}" is ${human(f.size)}; the limit is ${human(maxBytes)}.`);
        return;
      }
      setFile(f);
      setPhase("ready");
      setMessage("");
      setNote("");
    },
    [extensions, maxBytes, phase],
  );

  // Drop a file anywhere on the page.
  useEffect(() => {
    if (disabled) return undefined;
    let depth = 0;
    const enter = (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth += 1;
      setDragging(true);
    };
    const over = (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    };
    const leave = (e) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (!depth) setDragging(false);
    };
    const drop = (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = e.dataTransfer.files;
      if (files && files.length > 1) {
        refuse("Drop one file at a time: each upload is one version.");
        return;
      }
      if (files && files.length) choose(files[0]);
    };
    document.addEventListener("dragenter", enter);
    document.addEventListener("dragover", over);
    document.addEventListener("dragleave", leave);
    document.addEventListener("drop", drop);
    return () => {
      document.removeEventListener("dragenter", enter);
      document.removeEventListener("dragover", over);
      document.removeEventListener("dragleave", leave);
      document.removeEventListener("drop", drop);
    };
  }, [disabled, choose]);

  // The uploaded version as the room knows it now (pushed live as the pipeline moves it).
  const made = uploaded && (versions || []).find((v) => Number(v.id) === Number(uploaded.id));
  const madeState = made ? made.state : "QUEUED";

  // Ready: the note goes away by itself; a failure (and any refusal) stays until closed.
  useEffect(() => {
    if (phase !== "done" || madeState !== "READY") return undefined;
    const t = setTimeout(() => setPhase((p) => (p === "done" ? "idle" : p)), READY_SHOWN_MS);
    return () => clearTimeout(t);
  }, [phase, madeState]);

  // Leaving the page cancels an upload in flight (the server then keeps nothing).
  useEffect(() => () => xhrRef.current && xhrRef.current.abort(), []);

  const start = () => {
    if (!file || phase === "sending") return;
    const q = new URLSearchParams({
      filename: file.name,
      description: note,
      move_to_review: move ? "1" : "0",
      notify: notify ? "1" : "0",
    });
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    samples.current = [{ t: performance.now(), loaded: 0 }];
    setProgress({ loaded: 0, total: file.size, speed: 0 });
    setPhase("sending");
    setMessage("");
    setUploaded(null);
    xhr.open("POST", `${uploadUrl}?${q.toString()}`);
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (e) => {
      const now = performance.now();
      const s = samples.current;
      s.push({ t: now, loaded: e.loaded });
      while (s.length > 2 && now - s[0].t > 2000) s.shift(); // speed over the last ~2 s
      const span = (now - s[0].t) / 1000;
      const speed = span > 0 ? (e.loaded - s[0].loaded) / span : 0;
      setProgress({ loaded: e.loaded, total: e.total || file.size, speed });
    };
    xhr.onload = () => {
      xhrRef.current = null;
      let data = {};
      try {
        data = JSON.parse(xhr.responseText || "{}");
      } catch (_e) {
        data = {};
      }
      if (xhr.status === 201) {
        setPhase("done");
        setFile(null);
        setMessage("");
        setUploaded({ id: data.version_id, label: data.label });
        callbacks.current.onUploaded?.(data.version_id, data.label);
      } else {
        setPhase("error");
        setMessage(data.error || `The upload failed (HTTP ${xhr.status}); nothing was saved.`);
      }
    };
    xhr.onerror = () => {
      xhrRef.current = null;
      setPhase("error");
      setMessage("The connection was lost; nothing was saved. Try again.");
    };
    xhr.onabort = () => {
      xhrRef.current = null;
      setPhase("cancelled");
      setFile(null);
      setMessage("Upload cancelled; nothing was saved.");
    };
    xhr.send(file);
  };

  const cancel = () => {
    if (xhrRef.current) xhrRef.current.abort();
  };
  const dismiss = () => {
    setFile(null);
    setPhase("idle");
    setMessage("");
    setUploaded(null);
  };

  const percent = progress.total ? Math.floor((100 * progress.loaded) / progress.total) : 0;
  const showCard = phase !== "idle" && phase !== "done";
  if (phase === "idle" && message) setMessage("");

  let status = null; // the uploaded version's progress through the pipeline
  if (phase === "done" && uploaded) {
    const name = uploaded.label;
    if (madeState === "READY") status = { kind: "ready", icon: "✓", text: `${name} uploaded and ready`, colour: "var(--green-11)" };
    else if (madeState === "FAILED")
      status = {
        kind: "failed",
        icon: "✕",
        text: `${name} uploaded but processing failed: ${(made && made.error) || "unknown reason"}`,
        colour: "var(--red-11)",
      };
    else status = { kind: "processing", icon: "⟳", text: `${name} uploaded; processing…`, colour: "var(--gray-11)" };
  }

  return (
    <span style={{ display: "inline-flex", alignItems: "center", gap: 10, flexDirection: "row-reverse" }}>
      <button
        type="button"
        id="upload-button"
        style={btn(true)}
        disabled={disabled || phase === "sending"}
        onClick={() => inputRef.current && inputRef.current.click()}
        title="Or drop a file anywhere on the page"
      >
        {label || "Upload version"}
      </button>
      <input
        id="upload-file"
        ref={inputRef}
        type="file"
        accept={accept}
        style={{ display: "none" }}
        onChange={(e) => {
          choose(e.target.files && e.target.files[0]);
          e.target.value = "";
        }}
      />
      {status && (
        <span
          id="upload-status"
          data-state={status.kind}
          role="status"
          style={{
            display: "inline-flex",
            alignItems: "center",
            gap: 6,
            maxWidth: 360,
            fontSize: 13,
            color: status.colour,
            background: "var(--gray-a3)",
            border: "1px solid var(--gray-a5)",
            borderRadius: 999,
            padding: "3px 4px 3px 10px",
          }}
        >
          <span aria-hidden="true">{status.icon}</span>
          <span id="upload-message" data-kind={status.kind} title={status.text} style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
            {status.text}
          </span>
          <button
            type="button"
            id="upload-close"
            aria-label="Dismiss"
            title="Dismiss"
            onClick={dismiss}
            style={{ background: "transparent", border: "none", color: "var(--gray-11)", cursor: "pointer", fontSize: 14, padding: "0 6px" }}
          >
            ×
          </button>
        </span>
      )}
      {dragging && (
        <div
          id="upload-drop-overlay"
          style={{
            position: "fixed",
            inset: 0,
            zIndex: 60,
            background: "rgba(20, 20, 40, 0.75)",
            border: "3px dashed var(--accent-9)",
            display: "flex",
            alignItems: "center",
            justifyContent: "center",
            color: "white",
            fontSize: 22,
            pointerEvents: "none",
          }}
        >
          Drop to upload a new version{taskLabel ? ` of ${taskLabel}` : ""}
        </div>
      )}
      {showCard && (
        <div id="upload-panel" data-phase={phase} style={card}>
          {file && (
            <div style={{ fontWeight: 600, wordBreak: "break-all" }}>
              {file.name} <span style={{ fontWeight: 400, color: "var(--gray-11)" }}>· {human(file.size)}</span>
            </div>
          )}
          {phase === "ready" && (
            <>
              <label style={{ display: "flex", gap: 6, alignItems: "center" }}>
                <input id="upload-move" type="checkbox" checked={move} onChange={(e) => setMove(e.target.checked)} />
                Move the task to Internal Review
              </label>
              <label style={{ display: "flex", gap: 6, alignItems: "center" }}>
                <input id="upload-notify" type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
                Notify the supervisor and watchers
              </label>
              <textarea
                id="upload-note"
                rows={2}
                maxLength={5000}
                placeholder="Note for the reviewers (optional)"
                value={note}
                onChange={(e) => setNote(e.target.value)}
                style={{
                  width: "100%",
                  background: "transparent",
                  color: "var(--gray-12)",
                  border: "1px solid var(--gray-a6)",
                  borderRadius: 6,
                  padding: 6,
                  fontFamily: "inherit",
                }}
              />
              <div style={{ display: "flex", gap: 8, justifyContent: "flex-end" }}>
                <button type="button" id="upload-dismiss" style={btn(false)} onClick={dismiss}>
                  Cancel
                </button>
                <button type="button" id="upload-start" style={btn(true)} onClick={start}>
                  Upload
                </button>
              </div>
            </>
          )}
          {phase === "sending" && (
            <>
              <div
                id="upload-progress"
                data-percent={percent}
                style={{ height: 8, background: "var(--gray-a4)", borderRadius: 4, overflow: "hidden" }}
              >
                <div style={{ width: `${percent}%`, height: "100%", background: "var(--accent-9)" }} />
              </div>
              <div style={{ display: "flex", justifyContent: "space-between", color: "var(--gray-11)" }}>
                <span id="upload-percent">{percent}%</span>
                <span id="upload-speed">
                  {human(progress.speed)}/s · {human(progress.loaded)} of {human(progress.total)}
                </span>
              </div>
              <div style={{ display: "flex", justifyContent: "flex-end" }}>
                <button type="button" id="upload-cancel" style={btn(false)} onClick={cancel}>
                  Cancel upload
                </button>
              </div>
            </>
          )}
          {message && (
            <div
              id="upload-message"
              data-kind={phase}
              style={{ color: phase === "error" ? "var(--red-11)" : "var(--gray-12)" }}
            >
              {message}
            </div>
          )}
          {(phase === "error" || phase === "cancelled") && (
            <div style={{ display: "flex", justifyContent: "flex-end" }}>
              <button type="button" id="upload-close" style={btn(false)} onClick={dismiss}>
                Close
              </button>
            </div>
          )}
        </div>
      )}
    </span>
  );
}
