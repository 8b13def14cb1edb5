// The upload queue: a total bar and one row per file or folder, each with what the server has confirmed.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { formatDuration, formatProgress, formatSize, formatSpeed } from "../format";
import { totals, type Group, type Upload, type Uploader } from "../upload/uploader";
import { Icon } from "./icons";

/** A bar of confirmed bytes, with the bytes in flight as a lighter band after it. */
export function Bar(props: { label: string; size: number; confirmed: number; sending: number }): JSX.Element {
    const { size, confirmed, sending } = props;
    const percent = size > 0 ? (confirmed / size) * 100 : 100;
    const inflight = size > 0 ? Math.min(100 - percent, (sending / size) * 100) : 0;
    return (
        <div
            class="bar"
            role="progressbar"
            aria-label={props.label}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.floor(percent)}
            aria-valuetext={`${formatProgress(confirmed, size)} confirmed by the server`}
            data-confirmed={confirmed}
            data-sending={sending}
            data-size={size}
        >
            <div class="bar-done" style={{ width: `${percent}%` }} />
            <div class="bar-sending" style={{ left: `${percent}%`, width: `${inflight}%` }} />
        </div>
    );
}

function stateText(u: { state: Upload["state"]; message: string; retryAt: number }, now: number): string {
    switch (u.state) {
        case "queued":
            return "Waiting";
        case "running":
            return "";
        case "paused":
            return "Paused";
        case "waiting":
            return u.retryAt > now ? `${u.message}; trying again in ${Math.ceil((u.retryAt - now) / 1000)} s` : `${u.message}…`;
        case "done":
            return "Done";
        case "failed":
            return u.message;
        case "cancelled":
            return u.message || "Cancelled";
    }
}

function rateText(rate: number, remaining: number): string {
    if (rate <= 0) return "";
    const left = formatDuration(remaining / rate);
    return `${formatSpeed(rate)}${left ? `, ${left} left` : ""}`;
}

function Buttons(props: { upload: Upload; uploader: Uploader }): JSX.Element {
    const { upload: u, uploader } = props;
    return (
        <div class="upload-buttons">
            {(u.state === "running" || u.state === "queued" || u.state === "waiting") && (
                <button type="button" class="icon-button" aria-label={`Pause ${u.path}`} title="Pause" onClick={() => uploader.pause(u)}>
                    <Icon name="pause" />
                </button>
            )}
            {u.state === "paused" && (
                <button type="button" class="icon-button" aria-label={`Resume ${u.path}`} title="Resume" onClick={() => uploader.resume(u)}>
                    <Icon name="play" />
                </button>
            )}
            {u.state === "failed" && (
                <button type="button" class="icon-button" aria-label={`Retry ${u.path}`} title="Retry" onClick={() => uploader.retry(u)}>
                    <Icon name="retry" />
                </button>
            )}
            {u.active && (
                <button type="button" class="icon-button" aria-label={`Cancel ${u.path}`} title="Cancel" onClick={() => void uploader.cancel(u)}>
                    <Icon name="close" />
                </button>
            )}
        </div>
    );
}

function UploadRow(props: { upload: Upload; uploader: Uploader; now: number; nested?: boolean }): JSX.Element {
    const { upload: u, now } = props;
    const status = u.state === "running" ? rateText(u.meter.rate(), u.size - u.confirmed - u.sending) : stateText(u, now);
    return (
        <li class={`upload ${u.state}${props.nested ? " nested" : ""}`} data-upload={u.path} data-state={u.state}>
            <div class="upload-line">
                <span class="upload-name" title={u.path}>
                    {props.nested ? u.path.slice(u.path.indexOf("/") + 1) : u.path}
                </span>
                <Buttons upload={u} uploader={props.uploader} />
            </div>
            {u.state !== "cancelled" && <Bar label={`Upload of ${u.path}`} size={u.size} confirmed={u.confirmed} sending={u.sending} />}
            <div class="upload-figures">
                <span class="figures">{u.state === "cancelled" ? formatSize(u.size) : formatProgress(u.confirmed, u.size)}</span>
                <span class={u.state === "failed" ? "status problem" : "status"}>{status}</span>
            </div>
        </li>
    );
}

function GroupRow(props: { group: Group; uploader: Uploader; now: number; onCancel: (g: Group) => void }): JSX.Element {
    const { group, uploader, now } = props;
    const [open, setOpen] = useState(false);
    const t = totals(group.uploads);
    const cancelled = group.uploads.every((u) => u.state === "cancelled");
    const state = cancelled ? "cancelled" : t.done === t.count ? "done" : t.failed > 0 ? "failed" : t.paused === t.count - t.done ? "paused" : "running";
    const running = group.uploads.filter((u) => u.active);
    const anyPausable = running.some((u) => u.state !== "paused" && u.state !== "failed");
    const status =
        group.cancelling !== null
            ? group.cancelling
            : state === "done"
              ? "Done"
              : t.failed > 0
                ? `${t.failed} failed`
                : state === "paused"
                  ? "Paused"
                  : rateText(t.rate, t.size - t.confirmed - t.sending);
    const listed = [...group.uploads].sort((a, b) => rank(a) - rank(b)).slice(0, 100);
    return (
        <li class={`upload group ${state}`} data-upload={`${group.name}/`} data-state={state} data-done={t.done} data-count={t.count}>
            <div class="upload-line">
                <button type="button" class="link upload-name" aria-expanded={open ? "true" : "false"} onClick={() => setOpen(!open)}>
                    <Icon name={open ? "chevronUp" : "chevronDown"} class="small" />
                    <Icon name="folder" class="small" /> {group.name}/
                </button>
                <div class="upload-buttons">
                    {anyPausable && (
                        <button
                            type="button"
                            class="icon-button"
                            aria-label={`Pause ${group.name}`}
                            title="Pause"
                            onClick={() => running.forEach((u) => uploader.pause(u))}
                        >
                            <Icon name="pause" />
                        </button>
                    )}
                    {!anyPausable && running.length > 0 && (
                        <button
                            type="button"
                            class="icon-button"
                            aria-label={`Resume ${group.name}`}
                            title="Resume"
                            onClick={() => running.forEach((u) => (u.state === "failed" ? uploader.retry(u) : uploader.resume(u)))}
                        >
                            <Icon name="play" />
                        </button>
                    )}
                    {running.length > 0 && group.cancelling === null && (
                        <button
                            type="button"
                            class="icon-button"
                            aria-label={`Cancel ${group.name}`}
                            title="Cancel and remove what was uploaded"
                            onClick={() => props.onCancel(group)}
                        >
                            <Icon name="close" />
                        </button>
                    )}
                </div>
            </div>
            {!cancelled && <Bar label={`Upload of folder ${group.name}`} size={t.size} confirmed={t.confirmed} sending={t.sending} />}
            <div class="upload-figures">
                <span class="figures">
                    {cancelled ? `${group.uploads.length.toLocaleString()} files` : `${t.done} of ${t.count} files, ${formatProgress(t.confirmed, t.size)}`}
                </span>
                <span class={t.failed > 0 ? "status problem" : "status"}>{status}</span>
            </div>
            {open && (
                <ul class="upload-children">
                    {listed.map((u) => (
                        <UploadRow key={u.id} upload={u} uploader={uploader} now={now} nested />
                    ))}
                    {group.uploads.length > listed.length && <li class="muted">and {group.uploads.length - listed.length} more</li>}
                </ul>
            )}
        </li>
    );
}

// Files that need attention first, then those moving, then the rest.
function rank(u: Upload): number {
    return { failed: 0, running: 1, waiting: 2, paused: 3, queued: 4, done: 5, cancelled: 6 }[u.state];
}

export function UploadPanel(props: { uploader: Uploader; onCancelGroup: (g: Group) => void }): JSX.Element | null {
    const { uploader } = props;
    const [, redraw] = useState(0);
    const [collapsed, setCollapsed] = useState(false);
    const [now, setNow] = useState(Date.now());
    useEffect(() => uploader.subscribe(() => redraw((n) => n + 1)), [uploader]);
    const waiting = uploader.uploads.some((u) => u.state === "waiting" || u.state === "running");
    useEffect(() => {
        if (!waiting) return;
        // Countdowns and speeds move even when no byte does.
        const timer = setInterval(() => setNow(Date.now()), 1000);
        return () => clearInterval(timer);
    }, [waiting]);
    if (uploader.uploads.length === 0) return null;

    const t = totals(uploader.uploads);
    const items: (Upload | Group)[] = [];
    const seen = new Set<Group>();
    for (const u of uploader.uploads) {
        if (!u.group) items.push(u);
        else if (!seen.has(u.group)) {
            seen.add(u.group);
            items.push(u.group);
        }
    }
    const finished = uploader.uploads.some((u) => !u.active);
    const files = (n: number) => `${n.toLocaleString()} ${n === 1 ? "file" : "files"}`;
    const heading =
        t.count === 0
            ? "Uploads cancelled"
            : t.done === t.count
              ? `Uploaded ${files(t.count)}`
              : t.active === 0 && t.paused > 0
                ? `Paused: ${files(t.paused)}`
                : t.active === 0
                  ? `${files(t.failed)} not uploaded`
                  : `Uploading ${files(t.count - t.done)}${t.done > 0 ? `, ${t.done.toLocaleString()} done` : ""}`;
    return (
        <section class={`uploads${collapsed ? " collapsed" : ""}`} aria-labelledby="uploads-heading">
            <div class="uploads-head">
                <h2 id="uploads-heading">{heading}</h2>
                <button
                    type="button"
                    class="icon-button"
                    aria-expanded={collapsed ? "false" : "true"}
                    aria-controls="uploads-body"
                    aria-label={collapsed ? "Show uploads" : "Hide uploads"}
                    onClick={() => setCollapsed(!collapsed)}
                >
                    <Icon name={collapsed ? "chevronUp" : "chevronDown"} />
                </button>
            </div>
            {t.count > 0 && (
                <>
                    <Bar label="All uploads" size={t.size} confirmed={t.confirmed} sending={t.sending} />
                    <div class="upload-figures">
                        <span class="figures">{formatProgress(t.confirmed, t.size)}</span>
                        <span class="status">
                            {t.active > 0 ? rateText(t.rate, t.size - t.confirmed - t.sending) : t.failed > 0 ? `${t.failed} failed` : ""}
                        </span>
                    </div>
                </>
            )}
            <div id="uploads-body" class="uploads-body" hidden={collapsed}>
                <div class="uploads-actions">
                    <button type="button" onClick={() => uploader.pauseAll()} disabled={t.active === 0}>
                        <Icon name="pause" /> Pause all
                    </button>
                    <button type="button" onClick={() => uploader.resumeAll()} disabled={t.paused === 0 && t.failed === 0}>
                        <Icon name="play" /> Resume all
                    </button>
                    <button type="button" onClick={() => void uploader.cancelAll()} disabled={t.active + t.paused + t.failed === 0}>
                        <Icon name="close" /> Cancel all
                    </button>
                    <button type="button" onClick={() => uploader.clearFinished()} disabled={!finished}>
                        Clear finished
                    </button>
                    <label class="limit">
                        At once
                        <select value={String(uploader.limit)} onChange={(e) => uploader.setLimit(Number((e.target as HTMLSelectElement).value))}>
                            {[1, 2, 3, 4, 6, 8].map((n) => (
                                <option key={n} value={String(n)}>
                                    {n}
                                </option>
                            ))}
                        </select>
                    </label>
                </div>
                <ul class="upload-list">
                    {items.map((item) =>
                        "uploads" in item ? (
                            <GroupRow key={`g${item.id}`} group={item} uploader={uploader} now={now} onCancel={props.onCancelGroup} />
                        ) : (
                            <UploadRow key={item.id} upload={item} uploader={uploader} now={now} />
                        ),
                    )}
                </ul>
            </div>
        </section>
    );
}
