// Dev-only chart SVGs of the in-browser IPC fake, resembling the core's plotters output (loaded
// before fake-cards.js): lines per split group with low-n points hollow, bars with low-n bars
// dashed and unfilled, and an inline script the UI's sanitiser must remove. Exposes
// window.__fakeCharts.
(() => {
  const COLORS = ["#4F46E5", "#0EA5E9", "#10B981", "#F59E0B", "#EF4444", "#8B5CF6", "#14B8A6", "#64748B"];
  const DASH = ["", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3", "8 3 2 3"];
  function lineSvg(lines, startAtZero, unit) {
    const w = 240, h = lines.length > 1 ? 170 : 140, pad = 28, bottom = lines.length > 1 ? 58 : 30;
    const vals = lines.flatMap((l) => l.points.map((p) => p.value)).filter((x) => x !== null);
    if (!vals.length) return null;
    const lo = startAtZero ? Math.min(0, ...vals) : Math.min(...vals) - 3;
    const hi = Math.max(...vals) + 3;
    const buckets = [...new Set(lines.flatMap((l) => l.points.map((p) => p.bucket)))].sort();
    const x = (b) => pad + (buckets.indexOf(b) * (w - pad * 2)) / Math.max(1, buckets.length - 1);
    const y = (v) => h - bottom - ((v - lo) / (hi - lo || 1)) * (h - bottom - 14);
    let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="#ffffff"/>`;
    svg += `<line x1="${pad}" y1="${y(lo)}" x2="${w - pad}" y2="${y(lo)}" stroke="#cdd2de"/>`;
    svg += `<text x="4" y="${y(lo) + 3}" font-size="9" font-family="sans-serif" fill="#4d566b">${Math.round(lo)}</text>`;
    lines.forEach((l, i) => {
      const pts = l.points.filter((p) => p.value !== null);
      const path = pts.map((p, j) => `${j ? "L" : "M"}${x(p.bucket).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
      const c = COLORS[i % 8];
      svg += `<path d="${path}" stroke="${c}" stroke-width="2.2" fill="none" stroke-dasharray="${DASH[i % 8]}"/>`;
      // Low n points are hollow: the eye should not trust them like the others.
      svg += pts.map((p) => `<circle cx="${x(p.bucket)}" cy="${y(p.value)}" r="3.2" fill="${p.lowN ? "#ffffff" : c}" stroke="${c}" stroke-width="1.6"/>`).join("");
    });
    const step = Math.ceil(buckets.length / 6);
    svg += buckets.map((b, i) => (i % step ? "" : `<text x="${x(b)}" y="${h - bottom + 14}" font-size="9" font-family="sans-serif" text-anchor="middle" fill="#4d566b">${b.slice(2)}</text>`)).join("");
    if (lines.length > 1)
      svg += lines.map((l, i) => `<g transform="translate(${8 + (i % 3) * 78},${h - 30 + Math.floor(i / 3) * 12})"><line x1="0" y1="-3" x2="14" y2="-3" stroke="${COLORS[i % 8]}" stroke-width="2.2" stroke-dasharray="${DASH[i % 8]}"/><text x="18" y="0" font-size="9" font-family="sans-serif" fill="#1b2233">${l.label.slice(0, 11)}</text></g>`).join("");
    return svg + "</svg>";
  }
  function barSvg(groups, unit, startAtZero) {
    const w = 240, h = 140, pad = 26, bw = (w - pad * 2) / Math.max(1, groups.length);
    const max = Math.max(...groups.map((g) => Math.abs(g.value ?? 0)), 1);
    const bars = groups
      .map((g, i) => {
        const bh = (Math.abs(g.value ?? 0) / max) * (h - 60);
        const x = pad + i * bw + bw * 0.18, y = h - 28 - bh;
        const v = unit === "score" ? Math.round(g.value ?? 0) : unit === "percent" ? `${(g.value ?? 0).toFixed(0)}%` : (g.value ?? 0).toFixed(1);
        const fill = g.lowN ? `fill="#ffffff" stroke="#6366F1" stroke-width="1.5" stroke-dasharray="3 2"` : `fill="#6366F1"`;
        return `<rect x="${x}" y="${y}" width="${bw * 0.64}" height="${bh}" ${fill} rx="3"/>` +
          `<text x="${x + bw * 0.32}" y="${y - 5}" font-size="11" font-family="sans-serif" text-anchor="middle" fill="#1b2233">${v}</text>` +
          `<text x="${x + bw * 0.32}" y="${h - 12}" font-size="10" font-family="sans-serif" text-anchor="middle" fill="#4d566b">${String(g.label).slice(0, 10)}</text>`;
      })
      .join("");
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="#ffffff"/><line x1="${pad}" y1="${h - 28}" x2="${w - pad}" y2="${h - 28}" stroke="#cdd2de"/>${bars}<script>window.__pwned=1</script></svg>`;
  }
  function chart(config, value) {
    if (!value || config.chart.kind === "none" || value.n === 0) return null;
    const zero = !!config.chart.startAtZero;
    if (value.seriesGroups.length) return lineSvg(value.seriesGroups, zero, value.unit);
    if (value.series.length) return lineSvg([{ label: "", points: value.series }], zero, value.unit);
    if (value.comparison)
      return barSvg([{ label: value.comparison.previousLabel.slice(0, 10), value: value.comparison.previous }, { label: value.comparison.currentLabel.slice(0, 10), value: value.comparison.current }], value.unit, zero);
    if (value.groups.length) return barSvg(value.groups, value.unit, zero);
    return barSvg([{ label: config.name.slice(0, 12), value: value.value ?? 0, lowN: value.lowN }], value.unit, zero);
  }

  /** @type {any} */ (window).__fakeCharts = { chart };
})();
