// Davit's browser page. The server sends a small HTML shell naming the mount root and this folder; everything
// else comes from WebDAV requests to the same server.
import { render } from "preact";
import "./styles.css";
import { App } from "./view/App";

const host = document.getElementById("davit");
if (host) {
    const root = host.dataset.root ?? "/";
    const folder = host.dataset.folder ?? location.pathname;
    render(<App root={root} folder={folder} />, host);
}
