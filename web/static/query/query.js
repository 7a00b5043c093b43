// The query page works without this script; with it, the SPARQL textarea becomes a CodeMirror
// editor (syntax colours, bracket matching) and Ctrl/Cmd+Enter runs the query.
(function () {
  "use strict";
  var area = document.getElementById("sparql-editor");
  if (!area || typeof CodeMirror === "undefined") { return; }
  function run(cm) {
    cm.save();
    if (area.form.requestSubmit) { area.form.requestSubmit(); } else { area.form.submit(); }
  }
  var editor = CodeMirror.fromTextArea(area, {
    mode: "application/sparql-query",
    lineNumbers: true,
    matchBrackets: true,
    indentUnit: 2,
    lineWrapping: true,
    extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run }
  });
  area.form.addEventListener("submit", function () { editor.save(); });
})();
