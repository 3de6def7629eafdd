#include <mpi.h>

// Open MPI's predefined handles are macros over the addresses of extern structs (MPI_COMM_WORLD expands to
// OMPI_PREDEFINED_GLOBAL(MPI_Comm, ompi_mpi_comm_world)) and MPI_IN_PLACE is a cast of 1 to a pointer; Swift
// imports none of them, so these functions hand their values over.

static inline MPI_Comm kestrel_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype kestrel_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype kestrel_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype kestrel_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype kestrel_mpi_int(void) { return MPI_INT; }
static inline MPI_Op kestrel_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op kestrel_mpi_max(void) { return MPI_MAX; }
static inline MPI_Op kestrel_mpi_min(void) { return MPI_MIN; }
static inline MPI_Errhandler kestrel_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline void *kestrel_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Request kestrel_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *kestrel_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
