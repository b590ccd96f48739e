/* The checkpoint file of a sampling run (checkpoint.h): written
   atomically, read back exactly, refused when damaged or from other
   options. */

#define _XOPEN_SOURCE 700     /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "checkpoint.h"
#include "dist.h"

/* A checkpoint holds a few lines; anything much larger is not one. */
#define CHECKPOINT_MAX_BYTES (WORD(1) << 20)

/* What a file that is not a regular file is, in words. */
static const char *
file_kind(mode_t mode)
{
    return S_ISFIFO(mode) ? "a FIFO" : S_ISDIR(mode) ? "a directory" : S_ISCHR(mode)
           ? "a character device" : S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode)
           ? "a socket" : S_ISLNK(mode) ? "a symbolic link" : "not a regular file";
}

static void
path_refused(const char * path, const char * what, const char * why)
{
    fprintf(stderr, "ntkexact: --checkpoint %s: %s%s%s (a checkpoint is a regular file, or "
            "does not exist yet)\n", path, what ? what : "", what ? " " : "", why);
    cli_dist_exit(2);
}

const char *
cli_checkpoint_path(const char * path)
{
    static char resolved[PATH_MAX + 8];
    struct stat st;
    size_t len;
    if (cli_dist_rank() != 0)
        return path;
    if (lstat(path, &st) != 0)
    {
        if (errno != ENOENT)
            path_refused(path, NULL, strerror(errno));
    }
    else if (S_ISLNK(st.st_mode))
    {
        /* followed to its file, which is then the one written */
        if (realpath(path, resolved) == NULL || stat(resolved, &st) != 0)
            path_refused(path, errno == ENOENT ? "is a symbolic link to"
                         : "is a symbolic link that cannot be followed:", errno == ENOENT
                         ? "a file that does not exist" : strerror(errno));
        if (!S_ISREG(st.st_mode))
            path_refused(path, "is a symbolic link to", file_kind(st.st_mode));
        path = resolved;
    }
    else if (!S_ISREG(st.st_mode))
        path_refused(path, "is", file_kind(st.st_mode));
    /* FILE.tmp, through which every checkpoint is written */
    len = strlen(path);
    if (len + 5 <= sizeof(resolved))
    {
        char tmp[PATH_MAX + 8];
        memcpy(tmp, path, len);
        memcpy(tmp + len, ".tmp", 5);
        if (lstat(tmp, &st) == 0 && !S_ISREG(st.st_mode))
        {
            fprintf(stderr, "ntkexact: --checkpoint %s: %s, through which the checkpoint is "
                    "written, is %s; remove it\n", path, tmp, file_kind(st.st_mode));
            cli_dist_exit(2);
        }
    }
    return path;
}

void
cli_checkpoint_init(cli_checkpoint_t * ck, const ntk_sample_plan_t * plan, int pair)
{
    memset(ck, 0, sizeof(*ck));
    ck->plan = *plan;
    ck->pair = pair;
    ntk_sample_acc_zero(&ck->acc);
    ntk_sample_pair_acc_zero(&ck->pair_acc);
}

void
cli_checkpoint_key(cli_checkpoint_t * ck, const char * key, const char * flag, const char * value)
{
    size_t len = strlen(value) + 1;
    if (ck->n_keys == CLI_CHECKPOINT_KEYS)
        abort();    /* a programming error: the table is fixed */
    ck->key[ck->n_keys] = key;
    ck->flag[ck->n_keys] = flag;
    ck->value[ck->n_keys] = flint_malloc(len);
    memcpy(ck->value[ck->n_keys], value, len);
    ck->n_keys++;
}

void
cli_checkpoint_clear(cli_checkpoint_t * ck)
{
    int k;
    for (k = 0; k < ck->n_keys; k++)
        flint_free(ck->value[k]);
    ck->n_keys = 0;
}

slong
cli_checkpoint_samples(const cli_checkpoint_t * ck)
{
    return FLINT_MIN(ck->plan.samples, ck->next * ck->plan.chunk_size);
}

uint64_t
cli_fnv1a64(uint64_t h, const char * s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
    {
        h ^= (unsigned char) s[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

static uint64_t
fnv1a64(const char * s, size_t len)
{
    return cli_fnv1a64(CLI_FNV1A64_START, s, len);
}

/* ------------------------------------------------ writing */

/* The sums of a two-input run (checkpoint.h). */
static void
pair_text(FILE * f, const ntk_sample_pair_acc_t * a)
{
    int i, j, k;
    fprintf(f, "pair n %a\npair shift %a %a %a %a %a %a\n", a->n, a->shift[0], a->shift[1],
            a->shift[2], a->shift[3], a->shift[4], a->shift[5]);
    for (i = 0; i <= 4; i++)
        for (j = 0; i + j <= 4; j++)
            for (k = 0; i + j + k <= 4; k++)
                fprintf(f, "pair s %d%d%d %a\n", i, j, k, a->s[i][j][k]);
    for (i = 0; i < 3; i++)
        fprintf(f, "pair p %d %a %a\n", i, a->p[i][0], a->p[i][1]);
}

/* The text of ck, checksum line included (malloc'd). */
static char *
checkpoint_text(const cli_checkpoint_t * ck, size_t * len)
{
    char * buf = NULL;
    size_t size = 0;
    FILE * f = open_memstream(&buf, &size);
    int k, q;
    if (f == NULL)
        return NULL;
    fprintf(f, "ntkexact-checkpoint %d\nversion %s\n", CLI_CHECKPOINT_VERSION, NTK_VERSION_STRING);
    for (k = 0; k < ck->n_keys; k++)
        fprintf(f, "%s %s\n", ck->key[k], ck->value[k]);
    fprintf(f, "chunk_size %ld\nchunks %ld\nnext %ld\n", (long) ck->plan.chunk_size,
            (long) ck->plan.n_chunks, (long) ck->next);
    if (ck->pair)
        pair_text(f, &ck->pair_acc);
    for (q = 0; q < (ck->pair ? 0 : NTK_N_QUANTITIES); q++)
    {
        const ntk_sample_moments_t * m = ck->acc.q + q;
        fprintf(f, "q %s %a %a %a %a %a\n", ntk_quantity_name(q), m->n, m->mean, m->m2, m->m3,
                m->m4);
    }
    if (fflush(f) != 0)
    {
        fclose(f);
        free(buf);
        return NULL;
    }
    fprintf(f, "fnv1a64 %016llx\n", (unsigned long long) fnv1a64(buf, size));
    if (fclose(f) != 0)
    {
        free(buf);
        return NULL;
    }
    *len = size;
    return buf;
}

static void
save_failed(const char * path, const char * what, int err, const char * tmp)
{
    if (tmp != NULL)
        unlink(tmp);
    fprintf(stderr, "ntkexact: %scannot write the checkpoint %s: %s: %s\n", cli_dist_who(), path,
            what, strerror(err));
    cli_dist_exit(1);
}

/* Writes all of buf to fd. */
static int
write_all(int fd, const char * buf, size_t len)
{
    while (len > 0)
    {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        len -= (size_t) w;
    }
    return 0;
}

/* Syncs the directory of path, so that the rename itself is on disk. */
static int
sync_directory(const char * path)
{
    const char * slash = strrchr(path, '/');
    char * dir;
    int fd, status;
    if (slash == NULL)
        dir = strdup(".");
    else if (slash == path)
        dir = strdup("/");
    else
        dir = strndup(path, (size_t) (slash - path));
    if (dir == NULL)
        return -1;
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    free(dir);
    if (fd < 0)
        return -1;
    status = fsync(fd);
    /* some file systems cannot sync a directory: the rename stands anyway */
    if (status != 0 && (errno == EINVAL || errno == EROFS))
        status = 0;
    close(fd);
    return status;
}

void
cli_checkpoint_save(const cli_checkpoint_t * ck, const char * path)
{
    size_t len = 0, plen = strlen(path);
    char * text = checkpoint_text(ck, &len);
    char * tmp = flint_malloc(plen + 5);
    struct stat st;
    int fd;
    if (text == NULL)
        save_failed(path, "formatting", ENOMEM, NULL);
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    /* never blocks on a FIFO nor writes through a link (cli_checkpoint_path
       refused them; this holds if one appears meanwhile) */
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_NOFOLLOW, 0644);
    if (fd < 0)
        save_failed(path, tmp, errno, NULL);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    {
        close(fd);
        save_failed(path, tmp, EINVAL, NULL);
    }
    if (write_all(fd, text, len) != 0)
    {
        int e = errno ? errno : EIO;
        close(fd);
        save_failed(path, tmp, e, tmp);
    }
    if (fsync(fd) != 0 || close(fd) != 0)
        save_failed(path, tmp, errno, tmp);
    if (rename(tmp, path) != 0)
        save_failed(path, "rename", errno, tmp);
    if (sync_directory(path) != 0)
        save_failed(path, "syncing its directory", errno, NULL);
    free(text);
    flint_free(tmp);
}

/* ------------------------------------------------ reading */

static void
refuse(const char * path, const char * why)
{
    fprintf(stderr, "ntkexact: --checkpoint %s %s; remove it to start over\n", path, why);
    cli_dist_exit(2);
}

/* The next line of text at *at (its '\n' replaced by '\0'), or NULL. */
static char *
next_line(char ** at, char * end)
{
    char * line = *at, * nl;
    if (line >= end)
        return NULL;
    nl = memchr(line, '\n', (size_t) (end - line));
    if (nl == NULL)
        return NULL;
    *nl = '\0';
    *at = nl + 1;
    return line;
}

/* "KEY VALUE": the value, or NULL when the line is not about key. */
static const char *
key_value(const char * line, const char * key)
{
    size_t len = strlen(key);
    if (line == NULL || strncmp(line, key, len) != 0 || line[len] != ' ')
        return NULL;
    return line + len + 1;
}

/* A decimal integer >= 0 and nothing else. */
static int
parse_count(const char * s, slong * res)
{
    char * end;
    long v;
    if (s == NULL || *s < '0' || *s > '9')
        return 0;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return 0;
    *res = v;
    return 1;
}

/* "q NAME N MEAN M2 M3 M4" with the doubles exactly as written. */
static int
parse_moments(const char * line, int q, ntk_sample_moments_t * m)
{
    const char * s = key_value(line, "q");
    double * field[5] = { &m->n, &m->mean, &m->m2, &m->m3, &m->m4 };
    size_t len;
    int k;
    if (s == NULL)
        return 0;
    len = strlen(ntk_quantity_name(q));
    if (strncmp(s, ntk_quantity_name(q), len) != 0)
        return 0;
    s += len;
    for (k = 0; k < 5; k++)
    {
        char * end;
        if (*s != ' ' || s[1] == ' ' || s[1] == '\0')
            return 0;
        *field[k] = strtod(s + 1, &end);
        s = end;
    }
    return *s == '\0';
}

/* "pair WHAT" followed by exactly `count` doubles into x. */
static int
parse_pair(const char * line, const char * what, double * x, int count)
{
    const char * s = key_value(line, "pair");
    int k;
    if (s == NULL || (s = key_value(s, what)) == NULL)
        return 0;
    s--;
    for (k = 0; k < count; k++)
    {
        char * end;
        if (*s != ' ' || s[1] == ' ' || s[1] == '\0')
            return 0;
        x[k] = strtod(s + 1, &end);
        if (end == s + 1)
            return 0;
        s = end;
    }
    return *s == '\0';
}

/* The sums of a two-input run, in the order pair_text writes them. */
static int
parse_pair_acc(ntk_sample_pair_acc_t * a, char ** at, char * end)
{
    char what[8];
    int i, j, k;
    if (!parse_pair(next_line(at, end), "n", &a->n, 1)
        || !parse_pair(next_line(at, end), "shift", a->shift, 6))
        return 0;
    for (i = 0; i <= 4; i++)
        for (j = 0; i + j <= 4; j++)
            for (k = 0; i + j + k <= 4; k++)
            {
                snprintf(what, sizeof(what), "s %d%d%d", i, j, k);
                if (!parse_pair(next_line(at, end), what, &a->s[i][j][k], 1))
                    return 0;
            }
    for (i = 0; i < 3; i++)
    {
        snprintf(what, sizeof(what), "p %d", i);
        if (!parse_pair(next_line(at, end), what, a->p[i], 2))
            return 0;
    }
    return 1;
}

/* The whole file (NUL-terminated) or NULL when it does not exist; other
   failures end the program. */
static char *
read_file(const char * path, size_t * len)
{
    /* O_NONBLOCK: a FIFO put there after cli_checkpoint_path does not block */
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    FILE * f = NULL;
    struct stat st;
    char * buf;
    size_t got;
    if (fd < 0)
    {
        if (errno == ENOENT)
            return NULL;
        fprintf(stderr, "ntkexact: --checkpoint %s: %s\n", path, strerror(errno));
        cli_dist_exit(2);
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    {
        int known = fstat(fd, &st) == 0;
        close(fd);
        path_refused(path, "is", known ? file_kind(st.st_mode) : "not readable");
    }
    if ((f = fdopen(fd, "rb")) == NULL)
    {
        close(fd);
        fprintf(stderr, "ntkexact: --checkpoint %s: %s\n", path, strerror(errno));
        cli_dist_exit(2);
    }
    buf = flint_malloc(CHECKPOINT_MAX_BYTES + 1);
    got = fread(buf, 1, CHECKPOINT_MAX_BYTES + 1, f);
    if (ferror(f))
    {
        fprintf(stderr, "ntkexact: --checkpoint %s: %s\n", path, strerror(errno));
        cli_dist_exit(2);
    }
    fclose(f);
    if (got > CHECKPOINT_MAX_BYTES)
        refuse(path, "is not a checkpoint of ntkexact (too large)");
    buf[got] = '\0';
    *len = got;
    return buf;
}

/* Checks the header line and the checksum; returns the end of the checked
   text (the start of the checksum line). */
static char *
check_frame(const char * path, char * buf, size_t len)
{
    const char * magic = "ntkexact-checkpoint ";
    char * last, * end;
    unsigned long long sum;
    long version;
    if (memchr(buf, '\0', len) != NULL || strncmp(buf, magic, strlen(magic)) != 0)
        refuse(path, "is not a checkpoint of ntkexact");
    version = strtol(buf + strlen(magic), &end, 10);
    if (version != CLI_CHECKPOINT_VERSION && *end == '\n')
    {
        char why[128];
        snprintf(why, sizeof(why), "has format version %ld; this ntkexact reads version %d",
                 version, CLI_CHECKPOINT_VERSION);
        refuse(path, why);
    }
    if (len < 2 || buf[len - 1] != '\n')
        refuse(path, "is damaged: truncated (no complete last line)");
    buf[len - 1] = '\0';
    last = strrchr(buf, '\n');
    buf[len - 1] = '\n';
    if (last == NULL || sscanf(last + 1, "fnv1a64 %16llx", &sum) != 1
        || strlen(last + 1) != strlen("fnv1a64 ") + 16 + 1)
        refuse(path, "is damaged: truncated (no checksum line)");
    if (fnv1a64(buf, (size_t) (last + 1 - buf)) != sum)
        refuse(path, "is damaged: its checksum does not match its contents");
    return last + 1;
}

/* The result-fixing lines against this run's keys and plan. */
static void
check_keys(const char * path, const cli_checkpoint_t * ck, char ** at, char * end)
{
    char why[512];
    const char * v;
    slong n;
    int k;
    if (next_line(at, end) == NULL || next_line(at, end) == NULL)   /* magic, version */
        refuse(path, "is damaged: no header");
    for (k = 0; k < ck->n_keys; k++)
    {
        const char * line = next_line(at, end);
        /* x2 is followed by y2 in a two-input run's file only */
        if (k > 0 && strcmp(ck->key[k - 1], "x2") == 0
            && (key_value(line, "y2") == NULL) == ck->pair)
            refuse(path, ck->pair ? "is the checkpoint of a one-input run (no --xy), not of "
                   "this two-input run (--xy)" : "is the checkpoint of a two-input run (--xy), "
                   "not of this one-input run (no --xy)");
        if ((v = key_value(line, ck->key[k])) == NULL)
        {
            snprintf(why, sizeof(why), "is not a checkpoint of this command: it does not "
                     "record %s", ck->key[k]);
            refuse(path, why);
        }
        if (strcmp(v, ck->value[k]) != 0)
        {
            snprintf(why, sizeof(why), "was written by a run with %s %.200s, not %.200s (%s): "
                     "rerun with the options it was written with, or", ck->key[k], v,
                     ck->value[k], ck->flag[k]);
            fprintf(stderr, "ntkexact: --checkpoint %s %s remove it to start over\n", path, why);
            cli_dist_exit(2);
        }
    }
    if (!parse_count(key_value(next_line(at, end), "chunk_size"), &n) || n != ck->plan.chunk_size
        || !parse_count(key_value(next_line(at, end), "chunks"), &n) || n != ck->plan.n_chunks)
        refuse(path, "splits the samples into other chunks (written by another version of "
                     "ntkexact?)");
}

int
cli_checkpoint_load(cli_checkpoint_t * ck, const char * path)
{
    size_t len;
    char * buf = read_file(path, &len), * at, * end;
    slong next, done;
    int q;
    if (buf == NULL)
        return 0;
    end = check_frame(path, buf, len);
    at = buf;
    check_keys(path, ck, &at, end);
    if (!parse_count(key_value(next_line(&at, end), "next"), &next) || next > ck->plan.n_chunks)
        refuse(path, "is damaged: no valid next chunk");
    ck->next = next;
    done = cli_checkpoint_samples(ck);
    if (ck->pair && (!parse_pair_acc(&ck->pair_acc, &at, end) || ck->pair_acc.n != (double) done))
        refuse(path, "is damaged: its sums do not match its sample count");
    for (q = 0; q < (ck->pair ? 0 : NTK_N_QUANTITIES); q++)
        if (!parse_moments(next_line(&at, end), q, ck->acc.q + q) || ck->acc.q[q].n != (double) done)
            refuse(path, "is damaged: its moments do not match its sample count");
    if (at != end)
        refuse(path, "is damaged: unexpected lines");
    flint_free(buf);
    return 1;
}
