/// The report's inline stylesheet; the live dashboard (KestrelDashboard) uses it too.
public enum HTMLReportStyle {
    /// The start of a page in this style, up to and including `<body>`: doctype, charset, viewport,
    /// the escaped `title`, and the stylesheet followed by `extraCSS`.
    public static func pageStart(title: String, extraCSS: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(XMLEscape.text(title))</title>
        <style>\(css)\(extraCSS)</style>
        </head>
        <body>
        """
    }

    /// The CSS text, without the `<style>` element.
    public static let css = """
    :root { --ink: #1d1d1f; --muted: #5f6368; --line: #e3e3e3; --card: #ffffff; --page: #f5f6f8; }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--page); color: var(--ink);
           font: 15px/1.5 "DejaVu Sans", -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
    main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
    h1 { font-size: 26px; margin: 0 0 4px; }
    h2 { font-size: 19px; margin: 0 0 12px; }
    h3 { font-size: 15px; margin: 16px 0 8px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
    .subtitle { color: var(--muted); margin: 0 0 20px; }
    section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin: 0 0 20px; }
    .verdict { display: flex; align-items: center; gap: 14px; margin-bottom: 12px; }
    .badge { display: inline-block; padding: 4px 12px; border-radius: 999px; font-weight: 700; color: #fff; font-size: 14px; white-space: nowrap; }
    .badge.overfitting, .badge.leakageSuspected, .badge.trainInferenceMismatch { background: #c62828; }
    .badge.underfitting, .badge.stillLearning, .badge.underTrained { background: #ef8f00; }
    .badge.goodFit, .badge.earlyStopped { background: #2e7d32; } .badge.unstable, .badge.diverging, .badge.nanLoss, .badge.collapsed { background: #6a1b9a; } .badge.cannotJudge { background: #616161; }
    .headline { font-size: 17px; font-weight: 600; }
    .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
    ul { margin: 0; padding-left: 20px; } li { margin: 0 0 6px; }
    .chart { overflow-x: auto; margin: 4px 0 12px; }
    .chart svg { max-width: 100%; height: auto; display: block; }
    table { border-collapse: collapse; width: 100%; font-size: 14px; }
    th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); }
    th { color: var(--muted); font-weight: 600; }
    td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
    tr.flagged td { background: #fdecea; }
    .confusion { display: grid; grid-template-columns: auto 1fr; gap: 24px; align-items: start; }
    pre.summary { background: #f7f7f9; border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow-x: auto;
                  font: 13px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; margin: 0; }
    .images { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 12px; }
    figure { margin: 0; text-align: center; font-size: 12px; color: var(--muted); }
    figure img { width: 100%; image-rendering: pixelated; border: 1px solid var(--line); border-radius: 4px; background: #000; }
    .note { color: var(--muted); font-size: 13px; }
    @media (max-width: 800px) { .columns, .confusion { grid-template-columns: 1fr; } }
    """
}
