// "返回上一页" links (data-history-back): go back in the browser's history. A static file, not a
// javascript: link, so the Content-Security-Policy can forbid inline script.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-history-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
