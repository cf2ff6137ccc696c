// The energy dashboard's page: follows /events (Server-Sent Events; /series.json polled while the
// stream is down), keeps the series like the server does, and draws them with uPlot.
// Power is plotted as S2 sends it: positive is consumption or import, negative production or export.
'use strict';

(() => {
  const HOUR = 3600e3;
  const RECENT = 15 * 60e3; // a "now" value older than this (simulated) is not shown as now
  const POLL_MS = 2000;

  // Okabe–Ito colours, told apart with colour-blindness; several resources of a role differ by dash.
  const ROLES = {
    GRID_CONNECTION: { label: 'Grid', color: '#1d2430', order: 0 },
    ENERGY_PRODUCER: { label: 'PV', color: '#E69F00', order: 1 },
    ENERGY_CONSUMER: { label: 'Load', color: '#0072B2', order: 2 },
    ENERGY_STORAGE: { label: 'Battery', color: '#009E73', order: 3 },
    UNKNOWN: { label: 'Unknown', color: '#CC79A7', order: 4 },
  };
  const DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4]];
  const LIMIT_COLOR = '#D55E00';
  const EXCEEDED_BAND = 'rgba(213, 94, 0, 0.08)';
  const EXCEEDED_FILL = 'rgba(213, 94, 0, 0.45)';

  const state = { epoch: null, seq: 0, view: null, series: new Map() };
  let powerPlot = null;
  let powerShape = '';
  let gridIndices = []; // which of the power chart's series are grid meters
  let socPlot = null;
  let socShape = '';
  let renderQueued = false;

  const $ = (id) => document.getElementById(id);

  // ---- the model: the same bounds as the server (window, or the whole simulated day) ----

  function dayStart(t) {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  }

  function merge(list, points) {
    for (const p of points) {
      const n = list.length;
      if (n === 0 || list[n - 1][0] < p[0]) {
        list.push(p);
        continue;
      }
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (list[mid][0] < p[0]) lo = mid + 1; else hi = mid;
      }
      if (list[lo][0] === p[0]) list[lo] = p; else list.splice(lo, 0, p);
    }
  }

  function prune(list, from) {
    let drop = 0;
    while (drop < list.length && list[drop][0] < from) drop++;
    if (drop > 0) list.splice(0, drop);
  }

  function apply(view) {
    if (view.full || view.epoch !== state.epoch) {
      state.series = new Map();
    } else if (view.seq < state.seq) {
      return; // older than what the other channel already brought
    }
    state.epoch = view.epoch;
    state.seq = view.seq;
    state.view = view;
    for (const s of view.series) {
      let mine = state.series.get(s.key);
      if (!mine) {
        mine = { samples: [], fill: [] };
        state.series.set(s.key, mine);
      }
      mine.meta = s;
      merge(mine.samples, s.samples);
      merge(mine.fill, s.fillLevels);
    }
    if (view.clock != null) {
      const from = Math.min(view.clock - view.historyHours * HOUR, dayStart(view.clock));
      for (const s of state.series.values()) {
        prune(s.samples, from);
        prune(s.fill, from);
      }
    }
    if (!renderQueued) {
      renderQueued = true;
      requestAnimationFrame(() => {
        renderQueued = false;
        render();
      });
    }
  }

  // ---- formatting ----

  const kw = (w) => {
    const v = w / 1000;
    return Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  };
  const pad = (n) => String(n).padStart(2, '0');
  function clockText(t) {
    const d = new Date(t);
    const day = d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    return `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  }

  function ordered() {
    return [...state.series.values()].sort((a, b) =>
      ROLES[a.meta.role].order - ROLES[b.meta.role].order || a.meta.name.localeCompare(b.meta.name));
  }

  function styled(list) {
    const seen = {};
    return list.map((s) => {
      const role = ROLES[s.meta.role] || ROLES.UNKNOWN;
      const n = (seen[s.meta.role] = (seen[s.meta.role] || 0) + 1) - 1;
      const label = `${role.label}${s.meta.name && s.meta.name !== role.label ? ' · ' + s.meta.name : ''}${s.meta.live ? '' : ' (stale)'}`;
      return { s, label, color: s.meta.live ? role.color : role.color + '80', dash: DASHES[n % DASHES.length] };
    });
  }

  // ---- the numbers ----

  function latest(list, clock) {
    const p = list[list.length - 1];
    return p && clock - p[0] <= RECENT ? p : null;
  }

  function sumNow(role, clock, sign) {
    let sum = null;
    for (const s of state.series.values()) {
      if (s.meta.role !== role) continue;
      const p = latest(s.samples, clock);
      if (p) sum = (sum || 0) + sign * p[1];
    }
    return sum;
  }

  function setCard(id, text) {
    $(id).textContent = text;
  }

  function renderCards(view) {
    const clock = view.clock;
    const limits = view.limits;
    const grid = clock == null ? null : sumNow('GRID_CONNECTION', clock, 1);
    setCard('grid-now', grid == null ? '–' : kw(grid));
    const gridAlarm = grid != null && (grid > limits.importWatts || -grid > limits.exportWatts);
    $('card-grid').classList.toggle('alarm', gridAlarm);
    $('grid-note').textContent = grid == null ? '\u00a0'
      : grid > limits.importWatts ? `above the ${kw(limits.importWatts)} kW import limit`
      : -grid > limits.exportWatts ? `above the ${kw(limits.exportWatts)} kW export limit`
      : grid > 0 ? 'importing' : grid < 0 ? 'exporting' : 'balanced';

    const pv = clock == null ? null : sumNow('ENERGY_PRODUCER', clock, -1);
    setCard('pv-now', pv == null ? '–' : kw(pv));
    const load = clock == null ? null : sumNow('ENERGY_CONSUMER', clock, 1);
    setCard('load-now', load == null ? '–' : kw(load));

    let energy = 0;
    let capacity = 0;
    let fills = [];
    for (const s of state.series.values()) {
      if (s.meta.role !== 'ENERGY_STORAGE') continue;
      const f = latest(s.fill, clock);
      if (!f) continue;
      fills.push(f[1]);
      energy += f[2];
      capacity += s.meta.capacityWattHours || 0;
    }
    const soc = fills.length === 0 ? null : capacity > 0 ? energy / capacity : fills.reduce((a, b) => a + b) / fills.length;
    setCard('soc-now', soc == null ? '–' : (soc * 100).toFixed(0));
    const battery = clock == null ? null : sumNow('ENERGY_STORAGE', clock, 1);
    $('battery-note').textContent = battery == null ? '\u00a0'
      : battery > 1 ? `charging ${kw(battery)} kW` : battery < -1 ? `discharging ${kw(-battery)} kW` : 'idle';

    const sum = view.summary;
    setCard('self-consumption', sum.selfConsumptionShare == null ? '–' : (sum.selfConsumptionShare * 100).toFixed(0));
    setCard('peak-import', sum.peakImportWatts == null ? '–' : kw(sum.peakImportWatts));
    setCard('peak-export', sum.peakExportWatts == null ? '–' : kw(sum.peakExportWatts));
    const over = (n) => `${n} sample${n === 1 ? '' : 's'} above`;
    $('peak-import-note').textContent = `limit ${kw(limits.importWatts)} kW` + (sum.samplesAboveImportLimit ? ` · ${over(sum.samplesAboveImportLimit)}` : '');
    $('peak-export-note').textContent = `limit ${kw(limits.exportWatts)} kW` + (sum.samplesAboveExportLimit ? ` · ${over(sum.samplesAboveExportLimit)}` : '');
    $('card-peak-import').classList.toggle('alarm', sum.samplesAboveImportLimit > 0);
    $('card-peak-export').classList.toggle('alarm', sum.samplesAboveExportLimit > 0);
  }

  // ---- the charts ----

  // One x array for all series (uPlot's data model): the union of their times within the window.
  function aligned(lists, from, to, value) {
    const times = new Set();
    for (const list of lists) for (const p of list) if (p[0] >= from && p[0] <= to) times.add(p[0]);
    const xs = [...times].sort((a, b) => a - b);
    const index = new Map(xs.map((t, i) => [t, i]));
    const ys = lists.map((list) => {
      const y = new Array(xs.length).fill(null);
      for (const p of list) {
        const i = index.get(p[0]);
        if (i !== undefined) y[i] = value(p);
      }
      return y;
    });
    return [xs, ...ys];
  }

  function size(el, height) {
    return { width: Math.max(280, el.clientWidth), height };
  }

  function powerHeight() {
    return window.innerWidth < 600 ? 260 : Math.round(Math.min(420, Math.max(260, window.innerHeight * 0.42)));
  }

  // Marks every grid sample beyond a limit, under the lines: a light band over the time it holds
  // (until the next sample) and a strong fill between the limit and the grid power. Each run of
  // samples beyond the same limit is painted as one shape, so no pixel is painted twice.
  function shadeExceedances(u) {
    const view = state.view;
    if (!view) return;
    const importKw = view.limits.importWatts / 1000;
    const exportKw = -view.limits.exportWatts / 1000;
    const xs = u.data[0];
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    const x = (t) => u.valToPos(t, 'x', true);
    const y = (v) => u.valToPos(v, 'y', true);
    const side = (v) => (v == null ? 0 : v > importKw ? 1 : v < exportKw ? -1 : 0);
    ctx.save();
    for (const si of gridIndices) {
      const ys = u.data[si];
      if (!ys) continue;
      let i = 0;
      while (i < xs.length) {
        const sd = side(ys[i]);
        if (sd === 0) {
          i++;
          continue;
        }
        const limitY = y(sd > 0 ? importKw : exportKw);
        const shape = new Path2D();
        const x0 = x(xs[i]);
        shape.moveTo(x0, limitY);
        let end = x0;
        // Through each sample of the run, holding its value until the next sample of any series.
        while (i < xs.length && (ys[i] == null || side(ys[i]) === sd)) {
          if (ys[i] != null) {
            let j = i + 1;
            while (j < xs.length && ys[j] == null) j++;
            const next = j < xs.length ? x(xs[j]) : x(xs[i]) + 1;
            shape.lineTo(x(xs[i]), y(ys[i]));
            shape.lineTo(next, y(ys[i]));
            end = next;
            if (j < xs.length && side(ys[j]) !== sd) {
              i = j;
              break;
            }
            i = j;
          } else {
            i++;
          }
        }
        shape.lineTo(end, limitY);
        shape.closePath();
        ctx.fillStyle = EXCEEDED_BAND;
        ctx.fillRect(x0, top, end - x0, height);
        ctx.fillStyle = EXCEEDED_FILL;
        ctx.fill(shape);
      }
    }
    ctx.restore();
  }

  const timeText = (t) => {
    const d = new Date(t);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  };

  // The x axis in 24-hour UTC time, a date at midnight.
  const timeAxis = {
    values: (u, splits) => splits.map((t) => {
      const d = new Date(t);
      return d.getUTCHours() === 0 && d.getUTCMinutes() === 0
        ? d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })
        : `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    }),
  };

  const timeSeries = {
    label: 'Time (UTC)',
    value: (u, v) => {
      const t = v ?? (state.view && state.view.clock);
      return t == null ? '–' : timeText(t);
    },
  };

  // The legend shows the value under the cursor, or the latest one while the cursor is elsewhere.
  function legendValue(unit, digits) {
    return (u, v, si, idx) => {
      if (idx == null) {
        const ys = u.data[si];
        for (let i = ys.length - 1; i >= 0 && v == null; i--) v = ys[i];
      }
      return v == null ? '–' : `${v.toFixed(digits)} ${unit}`;
    };
  }

  const timeOpts = {
    ms: 1,
    tzDate: (ts) => uPlot.tzDate(new Date(ts), 'Etc/UTC'),
  };

  function renderPower(view) {
    const el = $('power-chart');
    const to = view.clock ?? 0;
    const from = to - view.historyHours * HOUR;
    const list = styled(ordered().filter((s) => s.samples.length > 0));
    const data = aligned(list.map((x) => x.s.samples), from, to, (p) => p[1] / 1000);
    const n = data[0].length;
    data.push(new Array(n).fill(view.limits.importWatts / 1000));
    data.push(new Array(n).fill(-view.limits.exportWatts / 1000));
    const shape = JSON.stringify(list.map((x) => [x.s.meta.key, x.label, x.color]));
    gridIndices = list.flatMap((x, i) => (x.s.meta.role === 'GRID_CONNECTION' ? [i + 1] : []));
    if (powerPlot && shape === powerShape) {
      powerPlot.setData(data);
      return;
    }
    if (powerPlot) powerPlot.destroy();
    powerShape = shape;
    const kwValue = legendValue('kW', 2);
    powerPlot = new uPlot({
      ...timeOpts,
      ...size(el, powerHeight()),
      cursor: { sync: { key: 'energy' } },
      scales: {
        x: { time: true, range: (u, min, max) => (state.view && state.view.clock != null
          ? [state.view.clock - state.view.historyHours * HOUR, state.view.clock] : [min, max]) },
      },
      axes: [{ ...timeAxis }, { label: 'kW', size: 56, values: (u, splits) => splits.map((v) => v.toFixed(1)) }],
      series: [
        { ...timeSeries },
        ...list.map((x) => ({
          label: x.label, stroke: x.color, width: x.s.meta.role === 'GRID_CONNECTION' ? 2.25 : 1.75,
          dash: x.dash, spanGaps: true, points: { show: false }, value: kwValue,
        })),
        { label: 'Import limit', stroke: LIMIT_COLOR, width: 1.5, dash: [6, 4], points: { show: false }, value: kwValue },
        { label: 'Export limit', stroke: LIMIT_COLOR, width: 1.5, dash: [2, 4], points: { show: false }, value: kwValue },
      ],
      hooks: { drawAxes: [shadeExceedances] },
    }, data, el);
    markStale(powerPlot, list);
  }

  // Greys out the legend rows of series whose sender is gone (their lines are faded already).
  function markStale(plot, list) {
    const rows = plot.root.querySelectorAll('.u-legend .u-series');
    list.forEach((x, i) => rows[i + 1] && rows[i + 1].classList.toggle('stale', !x.s.meta.live));
  }

  function renderSoc(view) {
    const el = $('soc-chart');
    const storage = styled(ordered().filter((s) => s.meta.role === 'ENERGY_STORAGE' && s.fill.length > 0));
    el.closest('.panel').hidden = storage.length === 0;
    if (storage.length === 0) {
      if (socPlot) socPlot.destroy();
      socPlot = null;
      socShape = '';
      return;
    }
    const to = view.clock ?? 0;
    const from = to - view.historyHours * HOUR;
    const data = aligned(storage.map((x) => x.s.fill), from, to, (p) => p[1] * 100);
    const shape = JSON.stringify(storage.map((x) => [x.s.meta.key, x.label, x.color]));
    if (socPlot && shape === socShape) {
      socPlot.setData(data);
      return;
    }
    if (socPlot) socPlot.destroy();
    socShape = shape;
    socPlot = new uPlot({
      ...timeOpts,
      ...size(el, window.innerWidth < 600 ? 170 : 200),
      cursor: { sync: { key: 'energy' } },
      scales: {
        x: { time: true, range: (u, min, max) => (state.view && state.view.clock != null
          ? [state.view.clock - state.view.historyHours * HOUR, state.view.clock] : [min, max]) },
        y: { range: [0, 100] },
      },
      axes: [{ ...timeAxis }, { label: '%', size: 56 }],
      series: [
        { ...timeSeries },
        ...storage.map((x) => ({
          label: `${x.label} state of charge`, stroke: x.color, fill: x.s.meta.live ? 'rgba(0, 158, 115, 0.10)' : undefined,
          width: 1.75, dash: x.dash, spanGaps: true, points: { show: false },
          value: legendValue('%', 1),
        })),
      ],
    }, data, el);
    markStale(socPlot, storage);
  }

  function render() {
    const view = state.view;
    if (!view) return;
    $('title').textContent = view.title;
    document.title = view.title;
    $('clock').textContent = view.clock == null ? 'waiting for data…' : clockText(view.clock);
    $('clock').dateTime = view.clock == null ? '' : new Date(view.clock).toISOString();
    $('empty').hidden = state.series.size > 0;
    const names = ordered().map((s) => `${s.meta.name}${s.meta.live ? '' : ' (stale)'}`);
    $('resources').textContent = names.length === 0 ? 'no resources' : names.join(', ');
    renderCards(view);
    renderPower(view);
    renderSoc(view);
  }

  function resize() {
    if (powerPlot) powerPlot.setSize(size($('power-chart'), powerHeight()));
    if (socPlot) socPlot.setSize(size($('soc-chart'), window.innerWidth < 600 ? 170 : 200));
  }

  // ---- the connection: the event stream, polling while it is down ----

  function setLink(s) {
    const link = $('link');
    link.dataset.state = s;
    link.textContent = s === 'live' ? 'live' : s === 'polling' ? 'polling' : s === 'offline' ? 'offline' : 'connecting';
  }

  let pollTimer = null;
  let source = null;

  async function poll() {
    const query = state.epoch == null ? '' : `?epoch=${state.epoch}&after=${state.seq}`;
    try {
      const response = await fetch(`/series.json${query}`, { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      apply(await response.json());
      if (!source || source.readyState !== EventSource.OPEN) setLink('polling');
    } catch (e) {
      setLink('offline');
    }
  }

  function startPolling() {
    if (pollTimer) return;
    poll();
    pollTimer = setInterval(poll, POLL_MS);
  }

  function stopPolling() {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
  }

  function connect() {
    if (!('EventSource' in window)) {
      startPolling();
      return;
    }
    source = new EventSource('/events');
    source.addEventListener('update', (e) => {
      stopPolling();
      setLink('live');
      apply(JSON.parse(e.data));
    });
    // The browser reconnects the stream by itself; until it has, the page polls.
    source.addEventListener('error', () => startPolling());
  }

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(resize, 100);
  });
  connect();
})();
