// Times MPI_Allreduce(MPI_SUM) of float buffers of the sizes given (bytes), as Kestrel's GradientAverager
// issues them, without Kestrel's packing: the link's latency and bandwidth for Docs/DataParallel.md.
// SIZE@BUCKET all-reduces SIZE bytes as consecutive buckets of at most BUCKET bytes (tensor fusion).
//   mpicc -O2 -o /tmp/allreduce_probe allreduce_probe.c && mpirun -np 2 /tmp/allreduce_probe 4 407084 407084@4096
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    for (int index = 1; index < argc; index++) {
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
        int repeats = bytes > (1 << 24) ? 5 : bytes > (1 << 18) ? 30 : 300;
        MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int repeat = 0; repeat < repeats; repeat++) {
            for (int offset = 0; offset < count; offset += bucketCount) {
                int part = count - offset < bucketCount ? count - offset : bucketCount;
                MPI_Allreduce(MPI_IN_PLACE, buffer + offset, part, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            }
        }
        double seconds = (MPI_Wtime() - start) / repeats;
        if (rank == 0) printf("allreduce %ld bytes in buckets of %ld: %.1f us (%.3f GB/s algorithm bandwidth)\n", bytes, bucket, seconds * 1e6, bytes / seconds / 1e9);
        free(buffer);
    }
    MPI_Finalize();
    return 0;
}
