/*
 * lockbomb: LOCK/UNLOCK stress through the neon WebDAV client library (the library litmus is built on).
 *
 * Each of T threads opens its own neon session, creates its own empty file with PUT, then runs N iterations of
 * ne_lock (an exclusive, depth-0 write lock) followed by ne_unlock on that file. neon checks each LOCK response
 * itself: the status, the Lock-Token header and the lockdiscovery body. The run stops at the first failure.
 *
 * The file names follow litmus's own lockbomb suite, including its doubled slash:
 * <base path>/lb-lock-NNNN, where the base path already ends in '/'.
 *
 * Usage: lockbomb URL [threads=20] [iterations=20000]
 * Prints one line, "lockbomb: ok threads=T iterations=N pairs=P seconds=S pairs_per_second=R", and exits 0;
 * or prints "lockbomb: FAIL ..." with the first error and exits 1. Usage errors exit 2.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ne_basic.h>
#include <ne_locks.h>
#include <ne_request.h>
#include <ne_session.h>
#include <ne_socket.h>
#include <ne_string.h>
#include <ne_uri.h>

struct worker {
    pthread_t thread;
    ne_uri target;        /* scheme, host, port and this worker's path */
    unsigned iterations;
    unsigned done;        /* LOCK/UNLOCK pairs completed */
    char failure[512];    /* empty on success */
};

static void fail(struct worker *w, const char *step, unsigned iteration, ne_session *session)
{
    snprintf(w->failure, sizeof w->failure, "%s %s (iteration %u): %s", step, w->target.path, iteration,
             ne_get_error(session));
}

/* PUT of an empty body; works with neon 0.29 and later (ne_putbuf needs 0.33). */
static int put_empty(ne_session *session, const char *path)
{
    ne_request *request = ne_request_create(session, "PUT", path);
    int result;

    ne_set_request_body_buffer(request, "", 0);
    result = ne_request_dispatch(request);
    if (result == NE_OK && ne_get_status(request)->klass != 2) {
        result = NE_ERROR;
    }
    ne_request_destroy(request);
    return result;
}

static void *run_worker(void *arg)
{
    struct worker *w = arg;
    ne_session *session = ne_session_create(w->target.scheme, w->target.host, w->target.port);
    unsigned i;

    if (put_empty(session, w->target.path) != NE_OK) {
        fail(w, "PUT", 0, session);
        ne_session_destroy(session);
        return NULL;
    }

    for (i = 0; i < w->iterations; i++) {
        struct ne_lock *lock = ne_lock_create();
        int failed = 0;

        ne_uri_copy(&lock->uri, &w->target);
        if (ne_lock(session, lock) != NE_OK) {
            fail(w, "LOCK", i, session);
            failed = 1;
        }
        else if (lock->token == NULL) {
            snprintf(w->failure, sizeof w->failure, "LOCK %s (iteration %u): no lock token", w->target.path, i);
            failed = 1;
        }
        else if (ne_unlock(session, lock) != NE_OK) {
            fail(w, "UNLOCK", i, session);
            failed = 1;
        }
        ne_lock_destroy(lock);
        if (failed) {
            break;
        }
        w->done++;
    }

    ne_session_destroy(session);
    return NULL;
}

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int parse_count(const char *text, unsigned *value)
{
    char *end;
    unsigned long parsed = strtoul(text, &end, 10);
    if (*text == '\0' || *end != '\0' || parsed == 0 || parsed > 10000000UL) {
        return 0;
    }
    *value = (unsigned)parsed;
    return 1;
}

int main(int argc, char **argv)
{
    ne_uri base = {0};
    unsigned threads = 20, iterations = 20000, t, failures = 0;
    unsigned long long pairs = 0;
    struct worker *workers;
    double started, elapsed;

    if (argc < 2 || argc > 4 || ne_uri_parse(argv[1], &base) != 0 || base.host == NULL || base.path == NULL
        || (argc > 2 && !parse_count(argv[2], &threads)) || (argc > 3 && !parse_count(argv[3], &iterations))) {
        fprintf(stderr, "usage: lockbomb URL [threads=20] [iterations=20000]\n");
        return 2;
    }
    if (base.port == 0) {
        base.port = ne_uri_defaultport(base.scheme);
    }
    if (ne_sock_init() != 0) {
        fprintf(stderr, "lockbomb: socket library initialisation failed\n");
        return 2;
    }

    workers = calloc(threads, sizeof *workers);
    if (workers == NULL) {
        fprintf(stderr, "lockbomb: out of memory\n");
        return 2;
    }

    started = seconds_now();
    for (t = 0; t < threads; t++) {
        struct worker *w = &workers[t];
        const char *slash = base.path[strlen(base.path) - 1] == '/' ? "" : "/";
        char name[32];

        ne_uri_copy(&w->target, &base);
        ne_free(w->target.path);
        snprintf(name, sizeof name, "/lb-lock-%04u", t);
        w->target.path = ne_concat(base.path, slash, name, NULL);
        w->iterations = iterations;
        if (pthread_create(&w->thread, NULL, run_worker, w) != 0) {
            fprintf(stderr, "lockbomb: could not start thread %u\n", t);
            return 2;
        }
    }
    for (t = 0; t < threads; t++) {
        pthread_join(workers[t].thread, NULL);
    }
    elapsed = seconds_now() - started;

    for (t = 0; t < threads; t++) {
        pairs += workers[t].done;
        if (workers[t].failure[0] != '\0') {
            if (failures++ < 5) {
                printf("lockbomb: FAIL %s\n", workers[t].failure);
            }
        }
    }
    if (failures > 0) {
        printf("lockbomb: FAIL threads=%u iterations=%u pairs=%llu failed_threads=%u\n", threads, iterations, pairs,
               failures);
        return 1;
    }

    printf("lockbomb: ok threads=%u iterations=%u pairs=%llu seconds=%.2f pairs_per_second=%.0f\n", threads,
           iterations, pairs, elapsed, (double)pairs / elapsed);
    return 0;
}
