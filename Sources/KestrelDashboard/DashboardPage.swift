import Foundation
import KestrelDiagnostics

/// The dashboard's single page: self-contained HTML, CSS and script, rendered with the current fragments so it
/// reads without script too; the script then listens on `/events` and swaps the fragments in as updates arrive.
enum DashboardPage {
    static func html(_ payload: DashboardPayload) -> String {
        let initial = (try? JSONEncoder().encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        // `</` inside a script element would end it early.
        let embedded = initial.replacingOccurrences(of: "</", with: "<\\/")
        return """
        \(HTMLReportStyle.pageStart(title: payload.title, extraCSS: css))
        <main class="wide">
        <header><h1 id="title">\(XMLEscape.text(payload.title))</h1><span id="live" class="pill">\(payload.status)</span></header>
        <p class="subtitle" id="subtitle">\(XMLEscape.text(payload.subtitle))</p>
        <section id="progress-section"><div class="bar"><div id="bar" style="width:\(Int(payload.fraction * 100))%"></div></div>
        <p id="progress">\(XMLEscape.text(payload.progress))</p></section>
        <div class="layout">
        <aside><section><h2>Runs</h2><div id="runs">\(runList(payload.runs))</div>
        <p class="note"><a href="#" id="all">all</a> · <a href="#" id="none">none</a> · <a href="history.json">history.json</a></p></section></aside>
        <div class="content">
        <section id="curves-section"><h2>Learning curves</h2><div class="chart" id="curves">\(payload.curves)</div>
        <p class="note">Solid: training; dashed: validation; the epoch in progress is drawn dashed up to its last batch. Epochs from 1, as Keras prints them.</p></section>
        <section id="bands-section"\(payload.bands.isEmpty ? " hidden" : "")><div id="bands">\(payload.bands)</div></section>
        <div id="verdict">\(payload.verdict)</div>
        <div id="numbers">\(payload.numbers)</div>
        <div id="perclass">\(payload.perClass)</div>
        </div></div>
        </main>
        <script>const initial = \(embedded);
        \(script)</script>
        </body>
        </html>

        """
    }

    static func runList(_ runs: [DashboardPayload.RunEntry]) -> String {
        if runs.isEmpty { return "<p class=\"note\">No run yet.</p>" }
        return runs.map { run in
            let name = XMLEscape.text(run.name.isEmpty ? "run" : run.name)
            let detail = "\(run.epochs) epoch\(run.epochs == 1 ? "" : "s")" + (run.verdict.map { " · " + $0 } ?? "") + (run.status == "finished" ? "" : " · " + run.status)
            return "<label class=\"run\"><input type=\"checkbox\" value=\"\(XMLEscape.text(run.name))\"\(run.selected ? " checked" : "")> \(name)<br><span class=\"note\">\(XMLEscape.text(detail))</span></label>"
        }.joined()
    }

    static let css = """

    main.wide { max-width: 1500px; }
    header { display: flex; align-items: center; gap: 14px; }
    .pill { padding: 2px 10px; border-radius: 999px; background: #e3e3e3; font-size: 13px; }
    .pill.training, .pill.live { background: #2e7d32; color: #fff; } .pill.reconnecting { background: #ef8f00; color: #fff; }
    .bar { height: 10px; background: #e3e3e3; border-radius: 5px; overflow: hidden; }
    .bar div { height: 100%; background: #1f77b4; transition: width .4s; }
    #progress { margin: 8px 0 0; font-variant-numeric: tabular-nums; }
    .layout { display: grid; grid-template-columns: 230px 1fr; gap: 20px; align-items: start; }
    aside section { padding: 14px 16px; }
    label.run { display: block; margin: 0 0 10px; cursor: pointer; overflow-wrap: anywhere; }
    .onset { margin: 0 0 12px; padding: 8px 12px; border-left: 4px solid #c62828; background: #fdecea; }
    .onset p, .changes p { margin: 2px 0; }
    .changes { margin: 0 0 12px; padding: 8px 12px; border-left: 4px solid #9e9e9e; background: #f3f3f3; }
    @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
    """

    /// The page's script: applies payloads, keeps the run selection, listens to the event stream.
    static let script = """
    // A page opened with ?run=… starts with that selection; null means every run.
    let selection = initial && initial.runs.some(r => !r.selected) ? initial.runs.filter(r => r.selected).map(r => r.name) : null;
    const byId = (id) => document.getElementById(id);
    function escapeText(text) { const d = document.createElement('div'); d.textContent = text; return d.innerHTML; }
    function renderRuns(runs) {
      if (!runs.length) { byId('runs').innerHTML = '<p class="note">No run yet.</p>'; return; }
      byId('runs').innerHTML = runs.map(r => {
        const detail = r.epochs + (r.epochs === 1 ? ' epoch' : ' epochs') + (r.verdict ? ' · ' + r.verdict : '') + (r.status === 'finished' ? '' : ' · ' + r.status);
        const checked = selection === null ? true : selection.includes(r.name);
        return '<label class="run"><input type="checkbox" value="' + escapeText(r.name).replace(/"/g, '&quot;') + '"' + (checked ? ' checked' : '') + '> ' +
               escapeText(r.name || 'run') + '<br><span class="note">' + escapeText(detail) + '</span></label>';
      }).join('');
    }
    function apply(p) {
      if (!p) return;
      byId('title').textContent = p.title;
      byId('subtitle').textContent = p.subtitle;
      byId('progress').textContent = p.progress;
      byId('bar').style.width = Math.round(p.fraction * 100) + '%';
      byId('curves').innerHTML = p.curves;
      byId('bands').innerHTML = p.bands;
      byId('bands-section').hidden = !p.bands;
      byId('verdict').innerHTML = p.verdict;
      byId('numbers').innerHTML = p.numbers;
      byId('perclass').innerHTML = p.perClass;
      renderRuns(p.runs);
      const live = byId('live');
      live.textContent = p.status; live.className = 'pill ' + p.status;
    }
    async function fetchView() {
      const query = selection === null ? '' : '?' + (selection.length ? selection.map(n => 'run=' + encodeURIComponent(n)).join('&') : 'run=%00none');
      try { const r = await fetch('view.json' + query, {cache: 'no-store'}); if (r.ok) apply(await r.json()); } catch (e) {}
    }
    function readSelection() {
      const boxes = [...document.querySelectorAll('#runs input')];
      const chosen = boxes.filter(b => b.checked).map(b => b.value);
      selection = chosen.length === boxes.length ? null : chosen;
      fetchView();
    }
    byId('runs').addEventListener('change', readSelection);
    byId('all').addEventListener('click', e => { e.preventDefault(); selection = null; fetchView(); });
    byId('none').addEventListener('click', e => { e.preventDefault(); selection = []; fetchView(); });
    apply(initial);
    if (window.EventSource) {
      const events = new EventSource('events');
      events.addEventListener('update', e => { if (selection === null) apply(JSON.parse(e.data)); else fetchView(); });
      events.onerror = () => { const live = byId('live'); live.textContent = 'reconnecting'; live.className = 'pill reconnecting'; };
    }
    """
}
