// Charts through the vendored Apache ECharts (vendor/echarts, Apache-2.0; loaded by index.html).
const charts = new Set();
window.addEventListener('resize', () => { for (const c of charts) c.resize(); });

export function lineChart(el, { title, x, series, yName, yMax, xName = 'round' }) {
  const ec = window.echarts;
  if (!ec) { el.textContent = 'Charts are unavailable (the chart library did not load).'; return null; }
  if (!ec.getInstanceByDom(el)) el.textContent = '';
  const chart = ec.getInstanceByDom(el) || ec.init(el, null, { renderer: 'svg' });
  charts.add(chart);
  chart.setOption({
    animation: false,
    aria: { enabled: true },
    title: { text: title, left: 'center', textStyle: { fontSize: 13, color: '#1b1d23' } },
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 50, right: 20, top: 40, bottom: 62 },
    xAxis: { type: 'category', data: x, name: xName, nameLocation: 'middle', nameGap: 25 },
    yAxis: { type: 'value', name: yName, max: yMax },
    color: ['#b0204f', '#1a5fd0', '#17683a', '#8a5300'],
    series: series.map((s) => ({ type: 'line', name: s.name, data: s.data, showSymbol: true, symbolSize: 5 })),
  }, { notMerge: true });
  el.dataset.series = String(series.length);
  el.dataset.points = String(x.length);
  return chart;
}

export function disposeAll() { for (const c of charts) c.dispose(); charts.clear(); }
