/** A grouped bar chart as a small standalone SVG, log scale, for the bench's figures. */
export interface BarGroup {
  label: string;
  bars: { label: string; value: number | null }[];
}

const colours = ['#2f6fdf', '#8a8f98', '#e07b24', '#3aa66a', '#b04ac9'];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function barChartSvg({ title, groups }: { title: string; groups: BarGroup[] }): string {
  const barWidth = 34;
  const gap = 6;
  const groupGap = 40;
  const plotHeight = 260;
  const left = 60;
  const top = 40;
  const values = groups.flatMap((group) => group.bars.flatMap((bar) => (bar.value && bar.value > 0 ? [bar.value] : [])));
  const low = Math.pow(10, Math.floor(Math.log10(Math.min(...values, 10))));
  const high = Math.pow(10, Math.ceil(Math.log10(Math.max(...values, 100))));
  const y = (value: number) => top + plotHeight - ((Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * plotHeight;
  const groupWidth = (bars: number) => bars * (barWidth + gap) - gap;
  const width = left + groups.reduce((sum, group) => sum + groupWidth(group.bars.length) + groupGap, 0) + 120;
  const height = top + plotHeight + 50;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="20" font-size="13">${escape(title)}</text>`,
  ];
  for (let tick = low; tick <= high; tick *= 10) {
    parts.push(
      `<line x1="${left - 4}" x2="${width - 120}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`,
      `<text x="${left - 8}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`,
    );
  }
  let x = left + 10;
  for (const group of groups) {
    group.bars.forEach((bar, index) => {
      const barX = x + index * (barWidth + gap);
      if (bar.value && bar.value > 0) {
        parts.push(
          `<rect x="${barX}" y="${y(bar.value)}" width="${barWidth}" height="${top + plotHeight - y(bar.value)}" fill="${colours[index % colours.length]}"/>`,
          `<text x="${barX + barWidth / 2}" y="${y(bar.value) - 4}" text-anchor="middle">${Math.round(bar.value)}</text>`,
        );
      }
    });
    parts.push(
      `<text x="${x + groupWidth(group.bars.length) / 2}" y="${top + plotHeight + 18}" text-anchor="middle" font-size="12">${escape(group.label)}</text>`,
    );
    x += groupWidth(group.bars.length) + groupGap;
  }
  (groups[0]?.bars ?? []).forEach((bar, index) => {
    const legendY = top + 10 + index * 18;
    parts.push(
      `<rect x="${width - 110}" y="${legendY - 9}" width="12" height="12" fill="${colours[index % colours.length]}"/>`,
      `<text x="${width - 92}" y="${legendY + 1}">${escape(bar.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
