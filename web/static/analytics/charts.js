/* Charts of the analytics pages (Apache ECharts from npm, served under /vendor/echarts).
 * Each page embeds its figures as JSON and calls one function here; links carry __ID__,
 * replaced by what was clicked. Text uses the page's CJK font so labels render in Chromium
 * without any web font. */
(function () {
  'use strict';
  var FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var RED = ['#fff5f0', '#fcbba1', '#fb6a4a', '#cb181d', '#67000d'];

  function init(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    window.addEventListener('resize', function () { chart.resize(); });
    return chart;
  }

  // A chart with nothing to show says so instead of drawing zeros (an empty donut, a flat line).
  function noData(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.getInstanceByDom(el);
    if (chart) chart.dispose();
    el.classList.add('no-data');
    el.setAttribute('data-empty', 'true');
    el.textContent = '无数据';
    return null;
  }

  function anyAbove0(values) { return values.some(function (v) { return v > 0; }); }

  function go(template, id) { window.location.href = template.replace('__ID__', encodeURIComponent(id)); }

  function hbar(id, rows, label, value, onClick) {
    if (!anyAbove0(rows.map(value))) return noData(id);
    var chart = init(id);
    if (!chart) return null;
    var shown = rows.slice(0, 12).reverse();
    chart.setOption({
      textStyle: { fontFamily: FONT },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: shown.map(label), axisLabel: { width: 150, overflow: 'truncate' } },
      series: [{ type: 'bar', data: shown.map(value), itemStyle: { color: '#c62828' },
                 label: { show: true, position: 'right' }, cursor: onClick ? 'pointer' : 'default' }],
    });
    if (onClick) chart.on('click', function (p) { onClick(shown[p.dataIndex]); });
    return chart;
  }

  function pie(id, rows, label, value, onClick) {
    if (!anyAbove0(rows.map(value))) return noData(id);
    var chart = init(id);
    if (!chart) return null;
    var top = rows.slice(0, 9);
    var rest = rows.slice(9).reduce(function (s, r) { return s + value(r); }, 0);
    var data = top.map(function (r) { return { name: label(r), value: value(r), row: r }; });
    if (rest) data.push({ name: '其他', value: rest });
    chart.setOption({
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
      series: [{ type: 'pie', radius: ['35%', '65%'], data: data,
                 label: { formatter: '{b}\n{d}%' } }],
    });
    if (onClick) chart.on('click', function (p) { if (p.data.row) onClick(p.data.row); });
    return chart;
  }

  function heatmap(opts) {
    var d = opts.data;
    var chart = init('county-map');  // the map stays when empty: it shows where, even with 0
    var idByName = {};
    d.townships.forEach(function (t) { idByName[t.name] = t.id; });
    var maxArea = Math.max(1, Math.max.apply(null, d.townships.map(function (t) { return t.count; })));
    var maxPoint = Math.max(1, Math.max.apply(null, d.points.map(function (p) { return p.count; }).concat([1])));
    fetch(opts.mapUrl, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap('county', geo);
      // Township names sit above the points: a label-only series at each area's centre.
      var centres = {};
      function area(ring) {
        var a = 0;
        for (var i = 0; i < ring.length - 1; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
        return Math.abs(a);
      }
      geo.features.forEach(function (f) {
        // The label goes on the township's largest piece.
        var rings = f.geometry.type === 'Polygon' ? [f.geometry.coordinates[0]]
          : f.geometry.coordinates.map(function (piece) { return piece[0]; });
        var ring = rings.reduce(function (best, r) { return area(r) > area(best) ? r : best; });
        var x = 0, y = 0;
        ring.forEach(function (c) { x += c[0]; y += c[1]; });
        centres[f.properties.name] = [x / ring.length, y / ring.length];
      });
      chart.setOption({
        textStyle: { fontFamily: FONT },
        tooltip: {
          trigger: 'item',
          formatter: function (p) {
            if (p.seriesType === 'map') return p.name + '：' + (p.value || 0) + ' 件';
            return (p.data.exact ? '定位上报' : '所在村（无定位）') + '：' + p.data.value[2] + ' 件';
          },
        },
        visualMap: [
          { type: 'continuous', min: 0, max: maxArea, seriesIndex: 0, calculable: true,
            text: ['多', '少'], left: 10, bottom: 10, inRange: { color: RED.slice(0, 4) } },
          { type: 'continuous', min: 1, max: maxPoint, seriesIndex: 1, show: false,
            inRange: { color: ['#ffd54f', '#ff6f00', '#b71c1c'] } },
        ],
        geo: {
          map: 'county', roam: true, aspectScale: 0.8, layoutCenter: ['50%', '50%'], layoutSize: '95%',
          center: opts.selected && centres[opts.selected] ? centres[opts.selected] : undefined,
          zoom: opts.selected && centres[opts.selected] ? 1.7 : 1,
          label: { show: false },
          itemStyle: { borderColor: '#455a64', borderWidth: 1 },
          emphasis: { label: { fontWeight: 'bold' }, itemStyle: { areaColor: '#ffe082' } },
          select: { label: { fontWeight: 'bold' }, itemStyle: { areaColor: '#ffca28' } },
          selectedMode: 'single',
          regions: opts.selected ? [{ name: opts.selected, selected: true }] : [],
        },
        series: [
          { type: 'map', geoIndex: 0, name: '乡镇上报',
            data: d.townships.map(function (t) { return { name: t.name, value: t.count }; }) },
          { type: 'scatter', coordinateSystem: 'geo', name: '上报位置',
            data: d.points.map(function (p) { return { value: [p.lon, p.lat, p.count], exact: p.exact }; }),
            symbol: function (v, p) { return p.data.exact ? 'circle' : 'diamond'; },
            symbolSize: function (v) { return 4 + 14 * Math.sqrt(v[2] / maxPoint); },
            itemStyle: { opacity: 0.75, borderColor: '#fff', borderWidth: 0.5 } },
          { type: 'scatter', coordinateSystem: 'geo', name: '乡镇', zlevel: 1, silent: true,
            symbolSize: 0, tooltip: { show: false },
            data: Object.keys(centres).map(function (name) {
              var t = d.townships.filter(function (x) { return x.name === name; })[0];
              return { name: name, value: centres[name].concat([t ? t.count : 0]) };
            }),
            label: { show: true, formatter: function (p) { return p.name + '\n' + p.value[2] + ' 件'; },
                     fontFamily: FONT, fontSize: 13, fontWeight: 'bold', color: '#1f2933', lineHeight: 16,
                     backgroundColor: 'rgba(255,255,255,0.75)', padding: [2, 4], borderRadius: 3 } },
        ],
      });
      chart.on('click', function (p) {
        var name = p.componentType === 'geo' ? p.name : (p.seriesType === 'map' ? p.name : null);
        if (name && idByName[name]) go(opts.townshipUrl, idByName[name]);
      });
      document.getElementById('county-map').setAttribute('data-ready', 'true');
    });
    hbar('matters-chart', d.matters, function (m) { return m.matter; }, function (m) { return m.count; },
         function (m) { go(opts.casesUrl, m.matter_id); });
    pie('domains-chart', d.domains, function (x) { return x.domain; }, function (x) { return x.count; },
        function (x) { go(opts.domainUrl, x.domain); });
  }

  function ranking(opts) {
    // Scores of every ranked unit of each group, red and black list coloured.
    opts.groups.forEach(function (g) {
      var rows = g.rows.filter(function (r) { return r.rank !== null; });
      var chart = rows.length ? init('scores-' + g.kind) : noData('scores-' + g.kind);
      if (!chart) return;
      chart.setOption({
        textStyle: { fontFamily: FONT },
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', max: 100 },
        yAxis: { type: 'category', inverse: true, data: rows.map(function (r) { return r.name; }) },
        series: [{
          type: 'bar', label: { show: true, position: 'right' },
          data: rows.map(function (r) {
            return { value: r.score, itemStyle: { color: r.board === 'red' ? '#c62828' : r.board === 'black' ? '#263238' : '#90a4ae' } };
          }),
        }],
      });
    });
  }

  function history(opts) {
    var chart = init('history-chart');
    if (!chart) return;
    chart.setOption({
      textStyle: { fontFamily: FONT },
      grid: { left: 50, right: 50, top: 50, bottom: 30 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['名次', '综合得分'] },
      xAxis: { type: 'category', data: opts.rows.map(function (r) { return r.period; }) },
      yAxis: [{ type: 'value', name: '名次（越靠上越好）', inverse: true, minInterval: 1, min: 1,
                max: Math.max.apply(null, opts.rows.map(function (r) { return r.rank || 1; }).concat([3])) },
              { type: 'value', name: '得分', max: 100, splitLine: { show: false } }],
      series: [
        { name: '名次', type: 'line', z: 3, connectNulls: false,
          data: opts.rows.map(function (r) { return r.rank; }),
          label: { show: true, position: 'top', formatter: '第{c}名' }, symbolSize: 8,
          itemStyle: { color: '#1565c0' } },
        { name: '综合得分', type: 'bar', yAxisIndex: 1, barMaxWidth: 28,
          data: opts.rows.map(function (r) {
            return { value: r.score, itemStyle: { color: r.board === 'red' ? '#c62828' : r.board === 'black' ? '#263238' : '#b0bec5' } };
          }) },
      ],
    });
  }

  function report(opts) {
    var d = opts.data;
    pie('report-domains', d.domains, function (x) { return x.domain; }, function (x) { return x.count; });
    hbar('report-matters', d.matters, function (m) { return m.matter; }, function (m) { return m.count; });
    var t = d.totals;
    var open = anyAbove0([t.open_on_time, t.open_overdue, t.open_extended]) ? init('report-open') : noData('report-open');
    if (open) {
      open.setOption({
        textStyle: { fontFamily: FONT },
        tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
        color: ['#2e7d32', '#c62828', '#ef6c00'],
        series: [{ type: 'pie', radius: ['40%', '68%'], label: { formatter: '{b}\n{c} 件' },
                   data: [{ name: '正常办理', value: d.totals.open_on_time },
                          { name: '超期', value: d.totals.open_overdue },
                          { name: '延期', value: d.totals.open_extended }] }],
      });
    }
    var thisYear = d.monthly.map(function (m) { return m.this; });
    var lastYear = d.monthly.map(function (m) { return m.last_year; });
    // Last year's line only where last year has data; neither: no chart at all.
    var series = [{ name: '本期', type: 'bar', data: thisYear, itemStyle: { color: '#c62828' } }];
    if (anyAbove0(lastYear)) series.push({ name: '去年同月', type: 'line', data: lastYear, itemStyle: { color: '#607d8b' } });
    var months = anyAbove0(thisYear.concat(lastYear)) ? init('report-monthly') : noData('report-monthly');
    if (months) {
      months.setOption({
        textStyle: { fontFamily: FONT },
        tooltip: { trigger: 'axis' },
        legend: { top: 0, data: series.map(function (x) { return x.name; }) },
        grid: { left: 50, right: 20, top: 36, bottom: 30 },
        xAxis: { type: 'category', data: d.monthly.map(function (m) { return m.month; }) },
        yAxis: { type: 'value', minInterval: 1 },
        series: series,
      });
    }
    var hot = d.hotspots.length ? init('report-hotspots') : noData('report-hotspots');
    if (hot) {
      var spots = d.hotspots.slice().reverse();
      hot.setOption({
        textStyle: { fontFamily: FONT },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, data: ['超期', '争议'] },
        grid: { left: 8, right: 30, top: 30, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: spots.map(function (h) { return h.matter; }) },
        series: [
          { name: '超期', type: 'bar', stack: 'n', itemStyle: { color: '#c62828' }, data: spots.map(function (h) { return h.overdue; }) },
          { name: '争议', type: 'bar', stack: 'n', itemStyle: { color: '#ef6c00' }, data: spots.map(function (h) { return h.contested; }) },
        ],
      });
    }
    hbar('report-townships', d.townships, function (t) { return t.township; }, function (t) { return t.count; });
  }

  function days(opts) {
    var chart = init('days-chart');
    if (!chart) return;
    chart.setOption({
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['受理', '办结'] },
      grid: { left: 40, right: 20, top: 36, bottom: 24 },
      xAxis: { type: 'category', data: opts.rows.map(function (r) { return r.day; }) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '受理', type: 'bar', itemStyle: { color: '#c62828' }, data: opts.rows.map(function (r) { return r.received; }) },
        { name: '办结', type: 'line', itemStyle: { color: '#2e7d32' }, data: opts.rows.map(function (r) { return r.closed; }) },
      ],
    });
  }

  window.juhaobanCharts = { heatmap: heatmap, ranking: ranking, history: history, report: report, days: days };
})();
