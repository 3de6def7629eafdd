#include <hdf5.h>
#include <hdf5_hl.h>

// HDF5's native types and default property lists are macros over globals (H5T_NATIVE_FLOAT expands to
// H5OPEN H5T_NATIVE_FLOAT_g), which Swift cannot import; these functions hand their values over.

static inline hid_t kestrel_h5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t kestrel_h5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t kestrel_h5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t kestrel_h5_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t kestrel_h5_c_s1(void) { return H5T_C_S1; }
static inline hid_t kestrel_h5_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t kestrel_h5_default(void) { return H5P_DEFAULT; }
static inline hid_t kestrel_h5_link_access(void) { return H5P_LINK_ACCESS; }
static inline hid_t kestrel_h5_error_default(void) { return H5E_DEFAULT; }

/// Turns off libhdf5's printing of error stacks to stderr; Kestrel reports failures as KestrelErrors.
static inline void kestrel_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

// Flags and sizes defined as macros with casts.
static inline unsigned kestrel_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned kestrel_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline size_t kestrel_h5t_variable(void) { return H5T_VARIABLE; }
static inline haddr_t kestrel_h5_haddr_undef(void) { return HADDR_UNDEF; }
/// H5LTopen_file_image's flags for reading caller-owned bytes in place: read-only, never copied, never freed.
static inline unsigned kestrel_h5lt_read_in_place(void) { return H5LT_FILE_IMAGE_DONT_COPY | H5LT_FILE_IMAGE_DONT_RELEASE; }
