import Foundation

extension BackboneRegistry {
    /// The backbone a weights file given for `name` is run as, judged by the file's format: a
    /// Keras `.h5` file named for a torchvision network (`vgg16=vgg16_weights_…_notop.h5`) runs as
    /// its Keras twin (`keras_vgg16`), a PyTorch or safetensors file named for a Keras application
    /// (`keras_resnet50=resnet50-0676ba61.pth`) as its torchvision twin (`resnet50`). The twins are
    /// other networks (other preprocessing, for ResNet another layout), so the caller should say
    /// which one runs. A file that cannot be read yet keeps `name`: loading it reports why.
    /// - Parameters:
    ///   - name: the backbone the file was named for.
    ///   - file: the weights file.
    /// - Returns: `name`, or its twin of the file's framework.
    /// - Throws: `BackboneError.unknownBackbone` for an unknown name, `.otherFrameworksWeights`
    ///   when the file is another framework's and `name` has no twin there.
    public static func backbone(named name: String, forWeightsAt file: URL) throws -> String {
        let descriptor = try descriptor(named: name)
        // Only a regular file is opened here (a pipe could block); the link, if any, is followed.
        let values = try? file.resolvingSymlinksInPath().resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
        guard values?.isRegularFile == true, let size = values?.fileSize,
              let handle = try? FileHandle(forReadingFrom: file) else { return name }
        defer { try? handle.close() }
        guard let start = try? handle.read(upToCount: 64) else { return name }
        let isKerasFile = KerasWeightsFile.looksLikeHDF5(start)
        let isTorchFile = Checkpoint.sniff(Array(start), fileSize: size) != nil
        switch descriptor.weights {
        case .keras where isTorchFile:
            let twin = String(name.dropFirst("keras_".count))
            guard names.contains(twin), !isKeras(twin) else {
                throw BackboneError.otherFrameworksWeights(backbone: name, path: file.path, framework: "PyTorch or safetensors",
                                                           hint: "the backbones without the keras_ prefix read these files")
            }
            return twin
        case .setup, .torchHub, .huggingFace:
            guard isKerasFile else { return name }
            guard names.contains("keras_" + name) else {
                throw BackboneError.otherFrameworksWeights(backbone: name, path: file.path, framework: "Keras .h5",
                                                           hint: "the keras_* backbones read Keras files")
            }
            return "keras_" + name
        case .keras:
            return name
        }
    }

    /// Whether the backbone called `name` reads Keras files.
    private static func isKeras(_ name: String) -> Bool {
        guard let descriptor = try? descriptor(named: name), case .keras = descriptor.weights else { return false }
        return true
    }
}
