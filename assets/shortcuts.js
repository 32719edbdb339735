// "/" focuses the page's search box (Linear-style), unless the user is typing somewhere.
if (!window.__feedbackShortcuts) {
  window.__feedbackShortcuts = true;
  document.addEventListener("keydown", (e) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const search = document.getElementById("search");
    if (search) {
      e.preventDefault();
      search.focus();
    }
  });
}
