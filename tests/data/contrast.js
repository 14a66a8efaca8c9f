// Text whose contrast with its background is under WCAG 2.1 AA: 4.5:1, or 3:1 for large text
// (24px, or 18.66px bold). Run by test_catalogue_browser.py with page.evaluate.
() => {
  function rgb(text) { const m = text.match(/[\d.]+/g) || []; return m.map(Number); }
  function lum(c) {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function background(el) {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c;
    }
    return [255, 255, 255];
  }
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    const unseen = style.visibility === "hidden" || !el.getClientRects().length;
    if (!own || unseen || el.closest("[hidden], .visually-hidden, .skip")) continue;
    const fg = lum(rgb(style.color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) {
      low.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)} ${el.textContent.trim().slice(0, 40)}`);
    }
  }
  return low;
}
