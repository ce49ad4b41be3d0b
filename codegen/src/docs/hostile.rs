//! Pages written to be hard to read, for the tests of the readers and `benches/docs.rs`: the
//! shapes that made them super-linear or overflow the stack.

/// Pages written to be hard to read, each about `bytes` long: markup nested as deep as the
/// size allows, rows repeated, tables naming themselves or each other. (shape, file name,
/// text.)
pub fn hostile_pages(bytes: usize) -> Vec<(&'static str, &'static str, String)> {
    let html_head = "<a name=\"hostile_01\"></a><h1>Hostile</h1><div class=\"section\"><h4 class=\"sectiontitle\">URI</h4><p>POST /v1/{p}/jobs</p></div>";
    let rst_head =
        ":original_name: hostile_01.html\n\nHostile\n=======\n\nURI\n---\n\nPOST /v1/{p}/jobs\n\n";
    let repeat = |unit: &str, close: &str| {
        let n = bytes / (unit.len() + close.len());
        format!("{}{}", unit.repeat(n), close.repeat(n))
    };
    let header_row =
        "<tr><th>Parameter</th><th>Mandatory</th><th>Type</th><th>Description</th></tr>";
    let row = |name: &str, type_: &str, description: &str| {
        format!("<tr><td><p>{name}</p></td><td>No</td><td>{type_}</td><td>{description}</td></tr>")
    };
    let rows = |name: &str, type_: &str, description: &str| {
        let one = row(name, type_, description);
        one.repeat(bytes / 2 / one.len())
    };
    // Grid tables whose last column is `width` wide.
    let border = |width: usize, c: char| {
        let line = |n: usize| c.to_string().repeat(n);
        format!(
            "   +{}+{}+{}+{}+\n",
            line(14),
            line(11),
            line(16),
            line(width + 2)
        )
    };
    // (`format!` pads to at most 65535 characters: padded by hand.)
    let pad = |text: &str, width: usize| {
        format!("{text}{}", " ".repeat(width.saturating_sub(text.len())))
    };
    let grid_row = |cells: [&str; 4], width: usize| {
        format!(
            "   | {:<12} | {:<9} | {:<14} | {} |\n{}",
            cells[0],
            cells[1],
            cells[2],
            pad(cells[3], width),
            border(width, '-')
        )
    };
    let grid = |caption: &str, width: usize, body: String| {
        format!(
            ".. table:: {caption}\n\n{}   | {:<12} | {:<9} | {:<14} | {} |\n{}{body}\n",
            border(width, '-'),
            "Parameter",
            "Mandatory",
            "Type",
            pad("Description", width),
            border(width, '=')
        )
    };
    let references = ":ref:`Table 2 <t2>` ".repeat(bytes / 24);
    vec![
        (
            "nested tables",
            "p.html",
            format!(
                "{html_head}<div class=\"section\"><h4 class=\"sectiontitle\">Request Parameters</h4>{}</div>",
                repeat(
                    &format!(
                        "<table><caption>Request parameters</caption>{header_row}<tr><td><p>f</p></td><td>Yes</td><td>String</td><td>"
                    ),
                    "</td></tr></table>"
                )
            ),
        ),
        (
            "nested sections",
            "p.html",
            format!(
                "{html_head}{}",
                repeat(
                    "<div class=\"section\"><h4 class=\"sectiontitle\">Response Parameters</h4><p>GET text</p>",
                    "</div>"
                )
            ),
        ),
        (
            "nested lists",
            "p.html",
            format!(
                "{html_head}<div class=\"section\">{}</div>",
                repeat("<ul><li>item <p>x</p>", "</li></ul>")
            ),
        ),
        (
            "nested inline markup",
            "p.html",
            format!(
                "{html_head}<div class=\"section\"><table><caption>Request parameters</caption>{header_row}<tr><td>f</td><td>No</td><td>String</td><td>{}</td></tr></table></div>",
                repeat("<b>x ", "</b>")
            ),
        ),
        (
            "repeated rows naming their own table",
            "p.html",
            format!(
                "{html_head}<div class=\"section\"><h4 class=\"sectiontitle\">Request Parameters</h4><table><caption>Table 1 Request parameters</caption>{header_row}{}</table><table><caption>Table 2 tags parameters</caption>{header_row}{}</table></div>",
                rows("tags", "Array of tags objects", "See Table 2."),
                rows("tags", "Array of tags objects", "See Table 2."),
            ),
        ),
        (
            "references in one cell",
            "p.rst",
            format!(
                "{rst_head}Request Parameters\n------------------\n\n{}",
                grid(
                    "**Table 1** Request parameters",
                    references.len(),
                    grid_row(["tags", "No", "Object", &references], references.len())
                )
            ),
        ),
        (
            "repeated rows, A to B to A",
            "p.rst",
            format!(
                "{rst_head}Request Parameters\n------------------\n\n{}{}{}",
                grid(
                    "**Table 1** Request parameters",
                    12,
                    grid_row(["a", "No", "a object", "See Table 2."], 12).repeat(bytes / 3 / 150)
                ),
                grid(
                    "**Table 2** a",
                    12,
                    grid_row(["b", "No", "b object", "See Table 3."], 12).repeat(bytes / 3 / 150)
                ),
                grid(
                    "**Table 3** b",
                    12,
                    grid_row(["a", "No", "a object", "See Table 2."], 12).repeat(bytes / 3 / 150)
                ),
            ),
        ),
        (
            "tags left open",
            "p.html",
            format!("{html_head}{}>", "<b x=".repeat(bytes / 5)),
        ),
        (
            "many sections",
            "p.rst",
            format!(
                "{rst_head}{}",
                "Response Parameters\n-------------------\n\nGET /x\n\n".repeat(bytes / 45)
            ),
        ),
    ]
}
