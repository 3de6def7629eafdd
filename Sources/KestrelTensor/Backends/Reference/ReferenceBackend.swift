/// The engine's plain backend: straightforward loops that compute in Double and round once at the
/// end. It is slow and never used by public operations; the differential tests run every kernel on
/// it and on `CPUBackend` with random shapes and compare.
struct ReferenceBackend: HostKernels {
    func update(_ rule: UpdateRule, _ operands: UpdateOperands) {
        for i in 0..<operands.count {
            let w = Double(operands.parameter[i]), g = Double(operands.gradient[i])
            let slots = operands.slots.map { Double($0[i]) }
            let (newParameter, newSlots) = ReferenceBackend.update(rule, w: w, g: g, slots: slots)
            operands.newParameter[i] = Float(newParameter)
            for (index, value) in newSlots.enumerated() { operands.newSlots[index][i] = Float(value) }
        }
    }

    /// One element of `rule`, written as the formulas in `UpdateRule`'s documentation read.
    static func update(_ rule: UpdateRule, w: Double, g: Double, slots: [Double]) -> (Double, [Double]) {
        switch rule {
        case let .sgd(learningRate, momentum, nesterov):
            let lr = Double(learningRate), beta = Double(momentum)
            guard momentum != 0 else { return (w - lr * g, []) }
            let velocity = beta * slots[0] - lr * g
            return (nesterov ? w + beta * velocity - lr * g : w + velocity, [velocity])
        case let .adam(alpha, beta1, beta2, epsilon, amsgrad):
            let m = slots[0] + (g - slots[0]) * (1 - Double(beta1))
            let v = slots[1] + (g * g - slots[1]) * (1 - Double(beta2))
            let used = amsgrad ? max(slots[2], v) : v
            let step = m * Double(alpha) / (used.squareRoot() + Double(epsilon))
            return (w - step, amsgrad ? [m, v, used] : [m, v])
        case let .rmsprop(learningRate, rho, momentum, epsilon, centered):
            let r = Double(rho)
            let velocity = r * slots[0] + (1 - r) * g * g
            var newSlots = [velocity]
            var denominator = velocity + Double(epsilon)
            if centered {
                let average = r * slots[slots.count - 1] + (1 - r) * g
                denominator = velocity - average * average + Double(epsilon)
                if momentum <= 0 { newSlots.append(average) }
                else { newSlots += [0, average] }
            }
            let increment = Double(learningRate) * g / denominator.squareRoot()
            guard momentum > 0 else { return (w - increment, newSlots) }
            let accumulated = Double(momentum) * slots[1] + increment
            if newSlots.count == 1 { newSlots.append(accumulated) } else { newSlots[1] = accumulated }
            return (w - accumulated, newSlots)
        case let .adagrad(learningRate, epsilon):
            let total = slots[0] + g * g
            return (w - Double(learningRate) * g / (total + Double(epsilon)).squareRoot(), [total])
        case let .weightDecay(weightDecay, learningRate):
            return (w - w * Double(weightDecay) * Double(learningRate), [])
        }
    }
}
