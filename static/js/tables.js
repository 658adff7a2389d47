// Stacked tables on phones (static/css/responsive.css) lead each cell with its column name
// from data-label. Templates write it; this fills in any cell that has none, from the
// table's column headers, so a new table stacks readably too. Without script the table
// still stacks, and its header row stays available to screen readers.
(function () {
  "use strict";
  document.querySelectorAll("table:not(.week-grid):not(.no-stack)").forEach((table) => {
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    const names = [];
    Array.from(head.cells).forEach((cell) => {
      for (let i = 0; i < (cell.colSpan || 1); i += 1) names.push(cell.textContent.trim());
    });
    Array.from(table.tBodies).forEach((body) => {
      Array.from(body.rows).forEach((row) => {
        let column = 0;
        Array.from(row.cells).forEach((cell) => {
          if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && cell.colSpan === 1 && names[column]) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  });
})();
