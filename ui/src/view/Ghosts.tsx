// Uploads in progress in this folder that this tab is not sending: from other tabs, other people, or a page
// that was closed. Each shows what the server holds; one of this browser's own can be continued by picking the
// same file again.
import type { JSX } from "preact";
import type { ServerUpload } from "../dav";
import { formatClock, formatProgress } from "../format";
import { Icon } from "./icons";
import { Bar } from "./UploadPanel";

export interface Ghost extends ServerUpload {
    /** Whether bytes arrived recently (someone is sending it now). */
    moving: boolean;
}

export function Ghosts(props: { ghosts: readonly Ghost[]; onResume: (g: Ghost) => void; onDiscard: (g: Ghost) => void }): JSX.Element | null {
    if (props.ghosts.length === 0) return null;
    return (
        <section class="ghosts" aria-labelledby="ghosts-heading">
            <h2 id="ghosts-heading">Unfinished uploads in this folder</h2>
            <ul>
                {props.ghosts.map((g) => (
                    <li key={g.href} class="ghost" data-ghost={g.name}>
                        <div class="upload-line">
                            <span class="upload-name">
                                <Icon name="upload" class="small" /> {g.name}
                            </span>
                            <div class="upload-buttons">
                                {!g.moving && (
                                    <button type="button" onClick={() => props.onResume(g)} aria-label={`Continue uploading ${g.name}`}>
                                        Continue…
                                    </button>
                                )}
                                <button
                                    type="button"
                                    class="icon-button"
                                    aria-label={`Discard the upload of ${g.name}`}
                                    title="Discard"
                                    onClick={() => props.onDiscard(g)}
                                >
                                    <Icon name="trash" />
                                </button>
                            </div>
                        </div>
                        <Bar label={`Upload of ${g.name}`} size={g.total < 0 ? g.bytes : g.total} confirmed={g.bytes} sending={0} />
                        <div class="upload-figures">
                            <span class="figures">{g.total < 0 ? `${formatProgress(g.bytes, g.bytes)} so far` : formatProgress(g.bytes, g.total)}</span>
                            <span class="status">
                                {g.moving ? "Uploading elsewhere" : isNaN(g.lastSaved) ? "Not moving" : `Last bytes at ${formatClock(g.lastSaved)}`}
                            </span>
                        </div>
                    </li>
                ))}
            </ul>
        </section>
    );
}
