// Modal questions, on the native <dialog> (it traps focus, closes on Escape and restores focus by itself).
import type { ComponentChildren, JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import * as dav from "../dav";
import type { Entry } from "../dav";
import { sentence } from "../errors";
import { formatProgress } from "../format";
import { invalidName, segments } from "../paths";
import type { Answers, UploadPlan } from "../upload/plan";
import { Icon } from "./icons";

function Modal(props: { title: string; onCancel: () => void; children: ComponentChildren; onSubmit: () => void; wide?: boolean }): JSX.Element {
    const ref = useRef<HTMLDialogElement>(null);
    useEffect(() => {
        const dialog = ref.current!;
        // The dialog is removed rather than closed, which loses focus: give it back to where it was.
        const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        if (!dialog.open) dialog.showModal();
        const cancel = (e: Event) => {
            e.preventDefault();
            props.onCancel();
        };
        dialog.addEventListener("cancel", cancel);
        return () => {
            dialog.removeEventListener("cancel", cancel);
            if (previous?.isConnected) previous.focus();
        };
    }, []);
    return (
        <dialog ref={ref} class={props.wide ? "wide" : ""} aria-labelledby="dialog-title">
            <form
                method="dialog"
                onSubmit={(e) => {
                    e.preventDefault();
                    props.onSubmit();
                }}
            >
                <h2 id="dialog-title">{props.title}</h2>
                {props.children}
            </form>
        </dialog>
    );
}

export function ConfirmDialog(props: {
    title: string;
    body: ComponentChildren;
    confirm: string;
    danger?: boolean;
    onDone: (ok: boolean) => void;
}): JSX.Element {
    return (
        <Modal title={props.title} onCancel={() => props.onDone(false)} onSubmit={() => props.onDone(true)}>
            <div class="dialog-body">{props.body}</div>
            <div class="dialog-buttons">
                <button type="button" onClick={() => props.onDone(false)}>
                    Cancel
                </button>
                <button type="submit" class={props.danger ? "danger" : "primary"} autofocus>
                    {props.confirm}
                </button>
            </div>
        </Modal>
    );
}

export function PromptDialog(props: {
    title: string;
    label: string;
    initial: string;
    confirm: string;
    taken: (name: string) => boolean;
    onDone: (value: string | null) => void;
}): JSX.Element {
    const [value, setValue] = useState(props.initial);
    const [touched, setTouched] = useState(false);
    const input = useRef<HTMLInputElement>(null);
    useEffect(() => {
        const field = input.current!;
        field.focus();
        // Select the name without its extension, as file managers do on rename.
        const dot = props.initial.lastIndexOf(".");
        field.setSelectionRange(0, dot > 0 ? dot : props.initial.length);
    }, []);
    const problem = invalidName(value) ?? (props.taken(value) ? `An item named “${value}” is already here.` : null);
    const show = touched && problem !== null;
    return (
        <Modal
            title={props.title}
            onCancel={() => props.onDone(null)}
            onSubmit={() => {
                setTouched(true);
                if (problem === null) props.onDone(value);
            }}
        >
            <label for="dialog-input">{props.label}</label>
            <input
                id="dialog-input"
                ref={input}
                type="text"
                value={value}
                autocomplete="off"
                spellcheck={false}
                aria-invalid={show ? "true" : "false"}
                aria-describedby={show ? "dialog-problem" : undefined}
                onInput={(e) => {
                    setValue((e.target as HTMLInputElement).value);
                    setTouched(true);
                }}
            />
            <p id="dialog-problem" class="problem" role="status">
                {show ? problem : ""}
            </p>
            <div class="dialog-buttons">
                <button type="button" onClick={() => props.onDone(null)}>
                    Cancel
                </button>
                <button type="submit" class="primary">
                    {props.confirm}
                </button>
            </div>
        </Modal>
    );
}

/** Chooses a destination folder by walking the tree from the root. */
export function FolderDialog(props: {
    title: string;
    confirm: string;
    root: string;
    start: string;
    /** Why a folder cannot be chosen, or null. */
    refuse: (href: string) => string | null;
    /** False for folders that cannot even be entered (those being moved). */
    enterable: (href: string) => boolean;
    onDone: (href: string | null) => void;
}): JSX.Element {
    const [at, setAt] = useState(props.start);
    const [folders, setFolders] = useState<Entry[] | null>(null);
    const [error, setError] = useState("");
    useEffect(() => {
        let live = true;
        setFolders(null);
        setError("");
        dav.list(at).then(
            (r) => live && setFolders(r.children.filter((c) => c.isFolder).sort((a, b) => a.name.localeCompare(b.name))),
            async (e) => live && setError(await sentence("open this folder", e)),
        );
        return () => {
            live = false;
        };
    }, [at]);
    const rootDepth = segments(props.root).length;
    const names = segments(at).slice(rootDepth);
    const crumbs = [
        { name: "Home", href: props.root },
        ...names.map((name, i) => ({
            name,
            href:
                props.root +
                names
                    .slice(0, i + 1)
                    .map(encodeURIComponent)
                    .join("/") +
                "/",
        })),
    ];
    const refusal = props.refuse(at);
    return (
        <Modal title={props.title} onCancel={() => props.onDone(null)} onSubmit={() => refusal === null && props.onDone(at)} wide>
            <nav aria-label="Destination folder" class="crumbs small">
                {crumbs.map((c, i) => (
                    <span key={c.href}>
                        {i > 0 && <span class="sep">/</span>}
                        {i === crumbs.length - 1 ? (
                            <span aria-current="location">{c.name}</span>
                        ) : (
                            <button type="button" class="link" onClick={() => setAt(c.href)}>
                                {c.name}
                            </button>
                        )}
                    </span>
                ))}
            </nav>
            <ul class="folder-list" aria-label="Folders here" aria-busy={folders === null ? "true" : "false"}>
                {folders === null && !error && <li class="muted">Loading…</li>}
                {error && <li class="problem">{error}</li>}
                {folders?.length === 0 && <li class="muted">No folders inside.</li>}
                {folders?.map((f) => (
                    <li key={f.href}>
                        <button type="button" class="folder-choice" disabled={!props.enterable(f.href)} onClick={() => setAt(f.href)}>
                            <Icon name="folder" /> {f.name}
                        </button>
                    </li>
                ))}
            </ul>
            <p class="problem" role="status">
                {refusal ?? ""}
            </p>
            <div class="dialog-buttons">
                <button type="button" onClick={() => props.onDone(null)}>
                    Cancel
                </button>
                <button type="submit" class="primary" disabled={refusal !== null}>
                    {props.confirm}
                </button>
            </div>
        </Modal>
    );
}

/** The questions an upload raises: replace files, upload into folders that exist, continue unfinished uploads. */
export function UploadQuestions(props: { plan: UploadPlan; onDone: (answers: Answers | null) => void }): JSX.Element {
    const { plan } = props;
    const [answers, setAnswers] = useState<Answers>({ replace: false, merge: true, resumeUnfinished: false });
    const list = (names: string[]) => (
        <ul class="names">
            {names.slice(0, 6).map((n) => (
                <li key={n}>{n}</li>
            ))}
            {names.length > 6 && <li>and {names.length - 6} more</li>}
        </ul>
    );
    const choice = (name: keyof Answers, yes: string, no: string) => (
        <div class="choice" role="radiogroup">
            <label>
                <input type="radio" name={name} checked={answers[name]} onChange={() => setAnswers({ ...answers, [name]: true })} /> {yes}
            </label>
            <label>
                <input type="radio" name={name} checked={!answers[name]} onChange={() => setAnswers({ ...answers, [name]: false })} /> {no}
            </label>
        </div>
    );
    return (
        <Modal title="Some of these are already here" onCancel={() => props.onDone(null)} onSubmit={() => props.onDone(answers)} wide>
            {plan.replacing.length > 0 && (
                <section>
                    <h3>{plan.replacing.length === 1 ? "A file with this name exists" : `${plan.replacing.length} files with these names exist`}</h3>
                    {list(plan.replacing.map((r) => r.picked.file.name))}
                    {choice("replace", "Replace", "Skip")}
                </section>
            )}
            {plan.merging.length > 0 && (
                <section>
                    <h3>{plan.merging.length === 1 ? "This folder exists" : "These folders exist"}</h3>
                    {list(plan.merging)}
                    {choice("merge", "Upload into it, replacing files with the same names", "Skip")}
                </section>
            )}
            {plan.unfinished.length > 0 && (
                <section>
                    <h3>Unfinished uploads of files with these names and sizes</h3>
                    <p class="muted">This browser did not start them, so it cannot tell whether they are the same files.</p>
                    <ul class="names">
                        {plan.unfinished.slice(0, 6).map((u) => (
                            <li key={u.url}>
                                {u.picked.path}: {formatProgress(u.server.bytes, u.server.total)} there
                            </li>
                        ))}
                    </ul>
                    {choice("resumeUnfinished", "Continue them", "Start over")}
                </section>
            )}
            <div class="dialog-buttons">
                <button type="button" onClick={() => props.onDone(null)}>
                    Cancel
                </button>
                <button type="submit" class="primary" autofocus>
                    Upload
                </button>
            </div>
        </Modal>
    );
}
