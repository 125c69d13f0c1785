// The query page's editor: CodeMirror 6 with the SPARQL mode, as one script (window.KGEditor).
// Rebuild with `npm ci && npm run build` in this folder (see README.md).
import {EditorState, Prec} from "@codemirror/state";
import {EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection} from "@codemirror/view";
import {defaultKeymap, history, historyKeymap} from "@codemirror/commands";
import {StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput} from "@codemirror/language";
import {sparql} from "@codemirror/legacy-modes/mode/sparql";

export const version = "CodeMirror 6 (@codemirror/view " + VIEW_VERSION + ")";

// An editor in `parent` holding `doc`; `onRun(view)` on Ctrl+Enter / Cmd+Enter; `nonce`: the page's
// CSP nonce for the <style> CodeMirror adds where constructable style sheets are missing.
export function create(parent, {doc = "", onRun = null, onChange = null, nonce = null, label = "SPARQL query"} = {}) {
  const run = () => { if (onRun) onRun(); return true; };
  const extensions = [
    lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(), indentOnInput(),
    StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle),
    Prec.highest(keymap.of([{key: "Mod-Enter", run}, {key: "Shift-Enter", run}])),
    keymap.of([...defaultKeymap, ...historyKeymap]),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({"aria-label": label}),
    EditorView.updateListener.of(u => { if (u.docChanged && onChange) onChange(); }),
  ];
  if (nonce) extensions.push(EditorView.cspNonce.of(nonce));
  const view = new EditorView({state: EditorState.create({doc, extensions}), parent});
  return {
    view,
    get value() { return view.state.doc.toString(); },
    set value(text) { view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}}); },
    focus() { view.focus(); },
  };
}
