// Times MPI_Allreduce(MPI_SUM) of float buffers of the sizes given (bytes), as Kestrel's GradientAverager
// issues them, without Kestrel's packing: the link's latency and bandwidth for Docs/DataParallel.md.
// SIZE@BUCKET all-reduces SIZE bytes as consecutive buckets of at most BUCKET bytes (tensor fusion).
// -i: the sizes after it use MPI_Iallreduce + MPI_Wait (the call Kestrel's MPICommunicator issues; Open MPI
// serves it with its libnbc component, whose algorithms differ from the blocking MPI_Allreduce's).
//   mpicc -O2 -o /tmp/allreduce_probe allreduce_probe.c && mpirun -np 2 /tmp/allreduce_probe 4 407084 407084@4096
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *left, const void *right) {
    double a = *(const double *)left, b = *(const double *)right;
    return (a > b) - (a < b);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, nonblocking = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    for (int index = 1; index < argc; index++) {
        if (strcmp(argv[index], "-i") == 0) {
            nonblocking = 1;
            continue;
        }
        char *end = NULL;
        long bytes = strtol(argv[index], &end, 10);
        long bucket = (end != NULL && *end == '@') ? strtol(end + 1, NULL, 10) : bytes;
        if (bucket < 4) bucket = 4;
        if (bytes < 4 || bytes > (1L << 30)) {
            if (rank == 0) fprintf(stderr, "allreduce_probe: size %s must be 4 bytes to 1 GiB\n", argv[index]);
            continue;
        }
        int count = (int)(bytes / 4);
        int bucketCount = (int)(bucket / 4);
        float *buffer = calloc((size_t)count, sizeof(float));
        if (buffer == NULL) MPI_Abort(MPI_COMM_WORLD, 1);
        int repeats = bytes > (1 << 24) ? 7 : bytes > (1 << 18) ? 31 : 301;
        double *seconds = calloc((size_t)repeats, sizeof(double));
        if (seconds == NULL) MPI_Abort(MPI_COMM_WORLD, 1);
        MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        double total = 0;
        for (int repeat = 0; repeat < repeats; repeat++) {
            double start = MPI_Wtime();
            for (int offset = 0; offset < count; offset += bucketCount) {
                int part = count - offset < bucketCount ? count - offset : bucketCount;
                if (nonblocking) {
                    MPI_Request request;
                    MPI_Iallreduce(MPI_IN_PLACE, buffer + offset, part, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &request);
                    MPI_Wait(&request, MPI_STATUS_IGNORE);
                } else {
                    MPI_Allreduce(MPI_IN_PLACE, buffer + offset, part, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
                }
            }
            seconds[repeat] = MPI_Wtime() - start;
            total += seconds[repeat];
        }
        // On a loaded machine a few repeats wait for a time slice; the median and the minimum say more than the mean.
        qsort(seconds, (size_t)repeats, sizeof(double), compare_doubles);
        double median = seconds[repeats / 2], mean = total / repeats;
        if (rank == 0) {
            printf("%s %ld bytes in buckets of %ld: median %.1f us, min %.1f us, mean %.1f us over %d (%.3f GB/s algorithm bandwidth at the median)\n",
                   nonblocking ? "iallreduce" : "allreduce", bytes, bucket, median * 1e6, seconds[0] * 1e6, mean * 1e6, repeats, bytes / median / 1e9);
        }
        free(seconds);
        free(buffer);
    }
    MPI_Finalize();
    return 0;
}
